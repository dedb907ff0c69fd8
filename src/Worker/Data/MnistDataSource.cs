namespace ParamServer.Worker.Data;

/// <summary>
/// MNIST from the four IDX files in one directory (train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally with a .gz suffix). Pixels are scaled from
/// 0..255 to [0, 1]; with standardization each becomes (x - mean) / deviation, where mean and deviation are the
/// mean and population standard deviation over all training pixels after scaling, applied to both splits.
/// </summary>
public sealed class MnistDataSource : IDataSource
{
    public const string TrainImagesFile = "train-images-idx3-ubyte";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Digit classes 0 to 9.</summary>
    public const int ClassCount = 10;

    private MnistDataSource(Dataset train, Dataset test, double mean, double deviation, bool standardized)
    {
        Train = train;
        Test = test;
        Mean = mean;
        StandardDeviation = deviation;
        Standardized = standardized;
    }

    public string Name => "mnist";

    public int Features => Train.Features;

    public int Classes => ClassCount;

    public Dataset Train { get; }

    public Dataset Test { get; }

    /// <summary>Mean of the scaled training pixels (in [0, 1]), computed whether or not it was applied.</summary>
    public double Mean { get; }

    /// <summary>Population standard deviation of the scaled training pixels.</summary>
    public double StandardDeviation { get; }

    /// <summary>Whether the inputs were standardized with <see cref="Mean"/> and <see cref="StandardDeviation"/>.</summary>
    public bool Standardized { get; }

    /// <summary>Loads and checks the four files in <paramref name="directory"/>.</summary>
    /// <param name="directory">Folder with the IDX files, raw or gzip-compressed.</param>
    /// <param name="standardize">Whether to standardize the pixels after scaling them to [0, 1].</param>
    /// <exception cref="FileNotFoundException">A file is missing under both its plain and its .gz name.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the files disagree in count or image size.</exception>
    public static MnistDataSource Load(string directory, bool standardize = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        (byte[] trainPixels, int[] trainLabels, int features) = LoadSplit(directory, TrainImagesFile, TrainLabelsFile);
        (byte[] testPixels, int[] testLabels, int testFeatures) = LoadSplit(directory, TestImagesFile, TestLabelsFile);
        if (testFeatures != features)
        {
            throw new InvalidDataException(
                $"MNIST test images in '{directory}' have {testFeatures} pixels each; the training images have {features}.");
        }

        (double mean, double deviation) = PixelStatistics(trainPixels);
        // One value per byte: p / 255, or (p / 255 - mean) / deviation when standardizing. A zero deviation
        // (every pixel equal) is treated as 1, so only the mean is removed.
        var table = new float[256];
        double divisor = deviation > 0 ? deviation : 1.0;
        for (int value = 0; value < table.Length; value++)
        {
            table[value] = standardize ? (float)((value / 255.0 - mean) / divisor) : value / 255f;
        }

        return new MnistDataSource(
            new Dataset(Map(trainPixels, table), trainLabels, features),
            new Dataset(Map(testPixels, table), testLabels, features),
            mean,
            deviation,
            standardize);
    }

    /// <summary>Returns <paramref name="baseName"/> or <paramref name="baseName"/>.gz in the directory, whichever exists.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static string FindFile(string directory, string baseName)
    {
        string plain = Path.Combine(directory, baseName);
        string compressed = plain + ".gz";
        if (File.Exists(plain))
        {
            return plain;
        }

        if (File.Exists(compressed))
        {
            return compressed;
        }

        throw new FileNotFoundException($"MNIST file not found: neither '{plain}' nor '{compressed}' exists.", plain);
    }

    private static (byte[] Pixels, int[] Labels, int Features) LoadSplit(
        string directory,
        string imagesName,
        string labelsName)
    {
        IdxArray images = IdxReader.Read(FindFile(directory, imagesName), expectedDimensions: 3);
        IdxArray labels = IdxReader.Read(FindFile(directory, labelsName), expectedDimensions: 1);
        if (images.Count != labels.Count)
        {
            throw new InvalidDataException(
                $"MNIST file '{images.Path}' has {images.Count} images but '{labels.Path}' has {labels.Count} labels.");
        }

        var values = new int[labels.Count];
        for (int i = 0; i < values.Length; i++)
        {
            byte label = labels.Values[i];
            if (label >= ClassCount)
            {
                throw new InvalidDataException(
                    $"MNIST file '{labels.Path}' has label {label} at index {i}; expected 0 to {ClassCount - 1}.");
            }

            values[i] = label;
        }

        if (images.ItemSize == 0)
        {
            throw new InvalidDataException(
                $"MNIST file '{images.Path}' has images of {images.Dimensions[1]} x {images.Dimensions[2]} pixels; expected a positive size.");
        }

        return (images.Values, values, images.ItemSize);
    }

    private static (double Mean, double Deviation) PixelStatistics(byte[] pixels)
    {
        // A histogram of the 256 byte values gives exact sums in double without a pass over floats.
        var histogram = new long[256];
        foreach (byte pixel in pixels)
        {
            histogram[pixel]++;
        }

        double count = pixels.Length;
        if (count == 0)
        {
            return (0, 0);
        }

        double sum = 0;
        for (int value = 0; value < 256; value++)
        {
            sum += histogram[value] * (value / 255.0);
        }

        double mean = sum / count;
        double squares = 0;
        for (int value = 0; value < 256; value++)
        {
            double difference = value / 255.0 - mean;
            squares += histogram[value] * difference * difference;
        }

        return (mean, Math.Sqrt(squares / count));
    }

    private static float[] Map(byte[] pixels, float[] table)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            result[i] = table[pixels[i]];
        }

        return result;
    }
}
