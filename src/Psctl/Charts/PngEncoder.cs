using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ParamServer.Psctl.Charts;

/// <summary>
/// Writes a <see cref="Raster"/> as a PNG file: 8-bit RGBA (color type 6), no interlacing, every scanline with
/// filter type 0 (None), one IDAT chunk compressed with zlib.
/// </summary>
public static class PngEncoder
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Raster raster)
    {
        ArgumentNullException.ThrowIfNull(raster);
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, raster.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], raster.Height);
        header[8] = 8; // bit depth
        header[9] = 6; // color type: truecolor with alpha
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive, per scanline
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        WriteChunk(output, "IDAT", Compress(raster));
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    public static void Write(Raster raster, string path) => File.WriteAllBytes(path, Encode(raster));

    private static byte[] Compress(Raster raster)
    {
        int stride = raster.Width * 4;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < raster.Height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(raster.Pixels, y * stride, stride);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> lengthAndType = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(lengthAndType, data.Length);
        Encoding.ASCII.GetBytes(type, lengthAndType[4..]);
        output.Write(lengthAndType);
        output.Write(data);

        uint crc = Crc32.Append(Crc32.Compute(lengthAndType[4..]), data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }
}
