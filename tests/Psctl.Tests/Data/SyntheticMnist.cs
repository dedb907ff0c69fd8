using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using ParamServer.Psctl.Data;

namespace ParamServer.Psctl.Tests.Data;

/// <summary>Writes IDX files with MNIST's headers and sizes and deterministic content, for data tests.</summary>
internal static class SyntheticMnist
{
    public static void WriteFile(string directory, MnistFile file, int? magic = null, int? count = null, long? length = null)
    {
        byte[] bytes = Create(file, magic, count);
        if (length is long truncated)
        {
            bytes = bytes[..(int)truncated];
        }

        File.WriteAllBytes(Path.Combine(directory, file.Name), bytes);
    }

    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (MnistFile file in MnistFile.All)
        {
            WriteFile(directory, file);
        }
    }

    public static byte[] Create(MnistFile file, int? magic = null, int? count = null)
    {
        var bytes = new byte[file.ExpectedLength];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic ?? file.Magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count ?? file.Count);
        if (file.IsImages)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), MnistFile.Rows);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), MnistFile.Columns);
        }

        for (int i = file.HeaderBytes; i < bytes.Length; i++)
        {
            bytes[i] = file.IsImages ? (byte)(i * 7 % 256) : (byte)(i % 10);
        }

        return bytes;
    }

    /// <summary>Writes a gzip-compressed tarball laid out like the npm package, with other entries beside the data.</summary>
    public static void WritePackageTarball(string sourceDirectory, string tarballPath)
    {
        using FileStream output = File.Create(tarballPath);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Ustar);
        var readme = new UstarTarEntry(TarEntryType.RegularFile, "package/readme.md")
        {
            DataStream = new MemoryStream("not data"u8.ToArray()),
        };
        writer.WriteEntry(readme);
        foreach (MnistFile file in MnistFile.All)
        {
            writer.WriteEntry(Path.Combine(sourceDirectory, file.Name), "package/data/" + file.Name);
        }
    }
}
