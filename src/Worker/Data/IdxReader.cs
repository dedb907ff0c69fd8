using System.Buffers.Binary;
using System.IO.Compression;

namespace ParamServer.Worker.Data;

/// <summary>
/// Reads IDX files, the format MNIST ships in: two zero bytes, a type byte, a dimension count byte, one big-endian
/// 32-bit size per dimension, then the values. Only the unsigned-byte type (0x08) is accepted. A file that starts
/// with the gzip magic bytes 1F 8B is decompressed first, whatever its name. Every check failure throws before
/// any data is returned.
/// </summary>
public static class IdxReader
{
    /// <summary>IDX type code of unsigned bytes.</summary>
    public const byte UnsignedByteType = 0x08;

    private const int MaxHeaderDimensions = 8;

    /// <summary>Reads <paramref name="path"/> and checks that it has <paramref name="expectedDimensions"/> dimensions.</summary>
    /// <exception cref="InvalidDataException">
    /// The magic number, type, dimension count or length does not match; the message names the file and both values.
    /// </exception>
    public static IdxArray Read(string path, int expectedDimensions)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedDimensions, 1);
        byte[] content = ReadContent(path);
        if (content.Length < 4)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has {content.Length} bytes; expected at least the 4-byte magic number.");
        }

        if (content[0] != 0 || content[1] != 0)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' starts with 0x{content[0]:X2}{content[1]:X2}; expected 0x0000 before the type byte.");
        }

        if (content[2] != UnsignedByteType)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has data type 0x{content[2]:X2}; expected 0x{UnsignedByteType:X2} (unsigned byte).");
        }

        int dimensions = content[3];
        if (dimensions != expectedDimensions)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has {dimensions} dimensions; expected {expectedDimensions}.");
        }

        if (dimensions > MaxHeaderDimensions)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has {dimensions} dimensions; at most {MaxHeaderDimensions} are supported.");
        }

        long headerLength = 4 + 4L * dimensions;
        if (content.Length < headerLength)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has {content.Length} bytes; its header of {dimensions} dimensions needs {headerLength}.");
        }

        var sizes = new int[dimensions];
        long values = 1;
        for (int d = 0; d < dimensions; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(4 + 4 * d, 4));
            if (size > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"IDX file '{path}' has dimension {d} of size {size}; expected at most {int.MaxValue}.");
            }

            sizes[d] = (int)size;
            values *= size;
            if (values > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"IDX file '{path}' declares more than {Array.MaxLength} values; that exceeds one array.");
            }
        }

        long expectedLength = headerLength + values;
        if (content.Length != expectedLength)
        {
            throw new InvalidDataException(
                $"IDX file '{path}' has {content.Length} bytes; its header [{string.Join(", ", sizes)}] requires {expectedLength}.");
        }

        return new IdxArray(path, sizes, content.AsSpan((int)headerLength).ToArray());
    }

    /// <summary>Returns the file's bytes, decompressed when it starts with the gzip magic 1F 8B.</summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt or truncated.</exception>
    public static byte[] ReadContent(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
        {
            return raw;
        }

        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {exception.Message}", exception);
        }
    }
}
