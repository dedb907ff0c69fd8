using System.Buffers.Binary;
using System.IO.Compression;

namespace ParamServer.Psctl.Data;

/// <summary>
/// Checks that a directory contains the four MNIST IDX files: raw or gzip-compressed (detected by content), each
/// with the right magic number, dimensions and uncompressed length.
/// </summary>
public static class MnistVerifier
{
    /// <summary>Returns null when every file verifies, otherwise a message naming the first bad file and why.</summary>
    public static string? Verify(string directory)
    {
        foreach (MnistFile file in MnistFile.All)
        {
            string? problem = VerifyFile(directory, file);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Returns null when <paramref name="file"/> in <paramref name="directory"/> verifies, else the reason.</summary>
    public static string? VerifyFile(string directory, MnistFile file)
    {
        string? path = Locate(directory, file);
        if (path is null)
        {
            return $"{Path.Combine(directory, file.Name)} is missing.";
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            bool gzip = stream.Length >= 2 && stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
            stream.Position = 0;
            if (!gzip)
            {
                if (stream.Length != file.ExpectedLength)
                {
                    return $"{path} has {stream.Length} bytes; expected {file.ExpectedLength}.";
                }

                return VerifyHeader(path, stream, file);
            }

            using var inflated = new GZipStream(stream, CompressionMode.Decompress);
            string? headerProblem = VerifyHeader(path, inflated, file);
            if (headerProblem is not null)
            {
                return headerProblem;
            }

            long length = file.HeaderBytes + CountRemaining(inflated);
            return length == file.ExpectedLength
                ? null
                : $"{path} inflates to {length} bytes; expected {file.ExpectedLength}.";
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read: {ex.Message}";
        }
    }

    /// <summary>Returns the path of <paramref name="file"/> in <paramref name="directory"/>, with or without ".gz".</summary>
    public static string? Locate(string directory, MnistFile file)
    {
        string raw = Path.Combine(directory, file.Name);
        if (File.Exists(raw))
        {
            return raw;
        }

        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static string? VerifyHeader(string path, Stream stream, MnistFile file)
    {
        Span<byte> header = stackalloc byte[16];
        header = header[..file.HeaderBytes];
        stream.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != file.Magic)
        {
            return $"{path} has IDX magic number {magic}; expected {file.Magic}.";
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (count != file.Count)
        {
            return $"{path} holds {count} items; expected {file.Count}.";
        }

        if (file.IsImages)
        {
            int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
            int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
            if (rows != MnistFile.Rows || columns != MnistFile.Columns)
            {
                return $"{path} has {rows}x{columns} images; expected {MnistFile.Rows}x{MnistFile.Columns}.";
            }
        }

        return null;
    }

    private static long CountRemaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
