using System.IO.Compression;

namespace ParamServer.Psctl.Data;

/// <summary>The 10 000 MNIST test images as pixels scaled to [0, 1], with their labels.</summary>
public sealed class MnistTestSet
{
    private MnistTestSet(float[] pixels, byte[] labels)
    {
        Pixels = pixels;
        Labels = labels;
    }

    public const int Features = MnistFile.Rows * MnistFile.Columns;

    /// <summary>Row-major: image i is Pixels[i * 784 .. (i + 1) * 784).</summary>
    public float[] Pixels { get; }

    public byte[] Labels { get; }

    public int Count => Labels.Length;

    /// <summary>Loads the test split from a directory that <see cref="MnistVerifier"/> accepts.</summary>
    /// <exception cref="InvalidDataException">The files do not verify.</exception>
    public static MnistTestSet Load(string directory)
    {
        foreach (MnistFile file in new[] { MnistFile.TestImages, MnistFile.TestLabels })
        {
            string? problem = MnistVerifier.VerifyFile(directory, file);
            if (problem is not null)
            {
                throw new InvalidDataException(problem);
            }
        }

        byte[] images = ReadBody(MnistVerifier.Locate(directory, MnistFile.TestImages)!, MnistFile.TestImages);
        byte[] labels = ReadBody(MnistVerifier.Locate(directory, MnistFile.TestLabels)!, MnistFile.TestLabels);
        var pixels = new float[images.Length];
        for (int i = 0; i < images.Length; i++)
        {
            pixels[i] = images[i] / 255f;
        }

        return new MnistTestSet(pixels, labels);
    }

    private static byte[] ReadBody(string path, MnistFile file)
    {
        using FileStream raw = File.OpenRead(path);
        bool gzip = raw.ReadByte() == 0x1f && raw.ReadByte() == 0x8b;
        raw.Position = 0;
        using Stream stream = gzip ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        var header = new byte[file.HeaderBytes];
        stream.ReadExactly(header);
        var body = new byte[file.ExpectedLength - file.HeaderBytes];
        stream.ReadExactly(body);
        return body;
    }
}
