namespace ParamServer.Psctl.Data;

/// <summary>One of the four MNIST IDX files, with the header it must carry and its uncompressed length.</summary>
/// <param name="Name">File name as MNIST ships it, such as "train-images-idx3-ubyte".</param>
/// <param name="Magic">IDX magic number: 2051 for unsigned-byte images of rank 3, 2049 for labels of rank 1.</param>
/// <param name="Count">Images or labels in the file.</param>
public sealed record MnistFile(string Name, int Magic, int Count)
{
    public const int ImageMagic = 2051;

    public const int LabelMagic = 2049;

    public const int Rows = 28;

    public const int Columns = 28;

    public static MnistFile TrainImages { get; } = new("train-images-idx3-ubyte", ImageMagic, 60_000);

    public static MnistFile TrainLabels { get; } = new("train-labels-idx1-ubyte", LabelMagic, 60_000);

    public static MnistFile TestImages { get; } = new("t10k-images-idx3-ubyte", ImageMagic, 10_000);

    public static MnistFile TestLabels { get; } = new("t10k-labels-idx1-ubyte", LabelMagic, 10_000);

    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    public bool IsImages => Magic == ImageMagic;

    /// <summary>Header bytes: magic, then one 32-bit big-endian size per dimension.</summary>
    public int HeaderBytes => IsImages ? 16 : 8;

    /// <summary>Uncompressed length: 47 040 016 bytes for the training images, 60 008 for their labels.</summary>
    public long ExpectedLength => HeaderBytes + (long)Count * (IsImages ? Rows * Columns : 1);
}
