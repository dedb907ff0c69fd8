using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ParamServer.Psctl.Charts;

namespace ParamServer.Psctl.Tests.Charts;

public sealed class PngEncoderTests
{
    [Fact]
    public void Crc32_CheckValue_MatchesStandard()
    {
        // The CRC-32 check value: the CRC of the ASCII digits "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Encode_WritesSignatureAndHeader()
    {
        byte[] png = PngEncoder.Encode(new Raster(7, 3));

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        List<Chunk> chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        byte[] header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(8, header[8]);
        Assert.Equal(6, header[9]);
        Assert.Equal(0, header[10]);
        Assert.Equal(0, header[11]);
        Assert.Equal(0, header[12]);
        Assert.Empty(chunks[2].Data);
    }

    [Fact]
    public void Encode_ChunkCrcsMatchReference()
    {
        var raster = new Raster(5, 4);
        raster.SetPixel(1, 2, new Rgba(10, 20, 30, 40));

        foreach (Chunk chunk in ReadChunks(PngEncoder.Encode(raster)))
        {
            byte[] covered = [.. Encoding.ASCII.GetBytes(chunk.Type), .. chunk.Data];
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(covered), chunk.Crc);
        }
    }

    [Fact]
    public void Encode_PixelsRoundTripThroughInflate()
    {
        var raster = new Raster(9, 6);
        var random = new Random(7);
        random.NextBytes(raster.Pixels);

        byte[] pixels = DecodePixels(PngEncoder.Encode(raster), 9, 6);

        Assert.Equal(raster.Pixels, pixels);
    }

    [Fact]
    public void DrawLine_SetsEndpointsAndDiagonal()
    {
        var raster = new Raster(4, 4);
        var red = new Rgba(255, 0, 0);

        raster.DrawLine(0, 0, 3, 3, red);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(red, raster.GetPixel(i, i));
        }

        Assert.Equal(default, raster.GetPixel(3, 0));
    }

    [Fact]
    public void DrawText_DrawsGlyphRows()
    {
        var raster = new Raster(5, 7);

        BitmapFont.DrawText(raster, 0, 0, "1", Rgba.Black);

        // Row 0 of '1' is "  #  " and row 6 is " ### ".
        Assert.Equal(Rgba.Black, raster.GetPixel(2, 0));
        Assert.Equal(default, raster.GetPixel(0, 0));
        Assert.Equal(Rgba.Black, raster.GetPixel(1, 6));
        Assert.Equal(Rgba.Black, raster.GetPixel(3, 6));
        Assert.Equal(default, raster.GetPixel(4, 6));
    }

    [Fact]
    public void Nice_RoundsOutToWholeTicks()
    {
        AxisScale scale = AxisScale.Nice(0, 1170);

        Assert.Equal(0, scale.Min);
        Assert.Equal(1200, scale.Max);
        Assert.Equal(200, scale.TickStep);
        Assert.Equal([0, 200, 400, 600, 800, 1000, 1200], scale.Ticks());
        Assert.Equal("1200", scale.Format(1200));
    }

    [Fact]
    public void Nice_FormatsFractionalTicks()
    {
        AxisScale scale = AxisScale.Nice(0, 2.3);

        Assert.Equal(0.5, scale.TickStep);
        Assert.Equal(2.5, scale.Max);
        Assert.Equal("1.5", scale.Format(1.5));
    }

    [Fact]
    public void TrainingChart_DrawsBothSeries()
    {
        ChartPoint[] loss = [new(10, 2.0), new(500, 0.5), new(1000, 0.1)];
        ChartPoint[] accuracy = [new(500, 0.9), new(1000, 0.97)];

        Raster raster = TrainingChart.Render(loss, accuracy, "TEST", 600, 400);
        byte[] decoded = DecodePixels(PngEncoder.Encode(raster), 600, 400);

        Assert.Equal(raster.Pixels, decoded);
        Assert.True(Count(raster, TrainingChart.LossColor) > 100);
        Assert.True(Count(raster, TrainingChart.AccuracyColor) > 100);
    }

    private static int Count(Raster raster, Rgba color)
    {
        int count = 0;
        for (int y = 0; y < raster.Height; y++)
        {
            for (int x = 0; x < raster.Width; x++)
            {
                if (raster.GetPixel(x, y) == color)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static byte[] DecodePixels(byte[] png, int width, int height)
    {
        byte[] compressed = ReadChunks(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var inflater = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        int stride = width * 4;
        Assert.Equal(height * (stride + 1), scanlines.Length);

        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * (stride + 1)]);
            Array.Copy(scanlines, y * (stride + 1) + 1, pixels, y * stride, stride);
        }

        return pixels;
    }

    private static List<Chunk> ReadChunks(byte[] png)
    {
        var chunks = new List<Chunk>();
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            byte[] data = png.AsSpan(offset + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            chunks.Add(new Chunk(type, data, crc));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    private sealed record Chunk(string Type, byte[] Data, uint Crc);
}
