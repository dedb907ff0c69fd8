using System.Buffers.Binary;
using System.IO.Compression;

namespace ParamServer.Worker.Tests.Data;

/// <summary>Writes IDX files for tests into a temporary directory that is deleted on dispose.</summary>
internal sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "idx-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Returns the bytes of an unsigned-byte IDX file with the given sizes and values.</summary>
    public static byte[] Encode(int[] dimensions, byte[] values, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + values.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        }

        values.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes an image file of count images of rows x columns pixels, pixel i of the file being i % 256.</summary>
    public string WriteImages(string name, int count, int rows, int columns, bool gzip = false)
    {
        byte[] values = Enumerable.Range(0, count * rows * columns).Select(i => (byte)(i % 256)).ToArray();
        byte[] content = Encode([count, rows, columns], values);
        return Write(name, gzip ? Gzip(content) : content);
    }

    public string WriteLabels(string name, byte[] labels, bool gzip = false)
    {
        byte[] content = Encode([labels.Length], labels);
        return Write(name, gzip ? Gzip(content) : content);
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
