using ParamServer.Worker.Data;

namespace ParamServer.Worker.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly IdxTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_RawImages_ReturnsDimensionsAndValues()
    {
        string path = _files.WriteImages("images", count: 2, rows: 3, columns: 2);

        IdxArray array = IdxReader.Read(path, expectedDimensions: 3);

        Assert.Equal([2, 3, 2], array.Dimensions);
        Assert.Equal(2, array.Count);
        Assert.Equal(6, array.ItemSize);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)i), array.Values);
    }

    [Fact]
    public void Read_GzipWithoutGzSuffix_DetectsByContent()
    {
        byte[] labels = [3, 1, 4, 1, 5];
        string path = _files.WriteLabels("labels-no-suffix", labels, gzip: true);

        IdxArray array = IdxReader.Read(path, expectedDimensions: 1);

        Assert.Equal([5], array.Dimensions);
        Assert.Equal(labels, array.Values);
    }

    [Fact]
    public void Read_RawWithGzSuffix_ReadsAsRaw()
    {
        string path = _files.WriteLabels("labels.gz", [7, 8]);

        Assert.Equal(new byte[] { 7, 8 }, IdxReader.Read(path, expectedDimensions: 1).Values);
    }

    [Fact]
    public void Read_TruncatedRaw_ThrowsNamingBothLengths()
    {
        byte[] content = IdxTestFiles.Encode([4], [1, 2, 3, 4]);
        string path = _files.Write("truncated", content[..^1]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("has 11 bytes", error.Message);
        Assert.Contains("requires 12", error.Message);
    }

    [Fact]
    public void Read_TruncatedGzip_Throws()
    {
        byte[] values = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7)).ToArray();
        byte[] compressed = IdxTestFiles.Gzip(IdxTestFiles.Encode([4000], values));
        string path = _files.Write("truncated-gzip", compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 1));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Read_LongerThanHeader_Throws()
    {
        byte[] content = [.. IdxTestFiles.Encode([2], [1, 2]), 9];
        string path = _files.Write("trailing", content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 1));

        Assert.Contains("has 11 bytes; its header [2] requires 10", error.Message);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsNamingBytes()
    {
        byte[] content = IdxTestFiles.Encode([2], [1, 2]);
        content[1] = 0x01;
        string path = _files.Write("magic", content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("starts with 0x0001; expected 0x0000", error.Message);
    }

    [Fact]
    public void Read_FloatType_ThrowsNamingType()
    {
        string path = _files.Write("float", IdxTestFiles.Encode([1], [0, 0, 0, 0], type: 0x0D));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 1));

        Assert.Contains("data type 0x0D; expected 0x08", error.Message);
    }

    [Fact]
    public void Read_LabelsAsImages_ThrowsNamingDimensions()
    {
        string path = _files.WriteLabels("labels", [1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 3));

        Assert.Contains(path, error.Message);
        Assert.Contains("has 1 dimensions; expected 3", error.Message);
    }

    [Fact]
    public void Read_HeaderCutShort_Throws()
    {
        byte[] content = IdxTestFiles.Encode([2, 2, 2], new byte[8]);
        string path = _files.Write("short-header", content[..10]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, expectedDimensions: 3));

        Assert.Contains("has 10 bytes; its header of 3 dimensions needs 16", error.Message);
    }
}
