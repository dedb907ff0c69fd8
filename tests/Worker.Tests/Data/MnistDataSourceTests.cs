using ParamServer.Worker.Data;

namespace ParamServer.Worker.Tests.Data;

public sealed class MnistDataSourceTests : IDisposable
{
    private readonly IdxTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Load_MixedRawAndGzip_ScalesPixels()
    {
        _files.WriteImages(MnistDataSource.TrainImagesFile + ".gz", count: 3, rows: 2, columns: 2, gzip: true);
        _files.WriteLabels(MnistDataSource.TrainLabelsFile, [0, 9, 4]);
        _files.WriteImages(MnistDataSource.TestImagesFile, count: 1, rows: 2, columns: 2);
        _files.WriteLabels(MnistDataSource.TestLabelsFile + ".gz", [7], gzip: true);

        MnistDataSource source = MnistDataSource.Load(_files.Directory);

        Assert.Equal(4, source.Features);
        Assert.Equal(10, source.Classes);
        Assert.Equal([0, 9, 4], source.Train.Labels);
        Assert.Equal([7], source.Test.Labels);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i / 255f), source.Train.Inputs);
        Assert.False(source.Standardized);
    }

    [Fact]
    public void Load_Standardize_UsesTrainingMeanAndDeviation()
    {
        // Training pixels 0..11 (of 255): mean 5.5 / 255, population deviation sqrt(143 / 12) / 255.
        _files.WriteImages(MnistDataSource.TrainImagesFile, count: 3, rows: 2, columns: 2);
        _files.WriteLabels(MnistDataSource.TrainLabelsFile, [0, 1, 2]);
        _files.WriteImages(MnistDataSource.TestImagesFile, count: 1, rows: 2, columns: 2);
        _files.WriteLabels(MnistDataSource.TestLabelsFile, [3]);

        MnistDataSource source = MnistDataSource.Load(_files.Directory, standardize: true);

        double mean = 5.5 / 255;
        double deviation = Math.Sqrt(143.0 / 12) / 255;
        Assert.Equal(mean, source.Mean, 1e-12);
        Assert.Equal(deviation, source.StandardDeviation, 1e-12);
        Assert.True(source.Standardized);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal((i / 255.0 - mean) / deviation, source.Train.Inputs[i], 1e-5);
        }

        // The test split uses the training statistics: its pixels are 0..3.
        Assert.Equal((3 / 255.0 - mean) / deviation, source.Test.Inputs[3], 1e-5);
    }

    [Fact]
    public void Load_CountsDisagree_ThrowsNamingBothFiles()
    {
        string images = _files.WriteImages(MnistDataSource.TrainImagesFile, count: 3, rows: 2, columns: 2);
        string labels = _files.WriteLabels(MnistDataSource.TrainLabelsFile, [0, 1]);
        _files.WriteImages(MnistDataSource.TestImagesFile, count: 1, rows: 2, columns: 2);
        _files.WriteLabels(MnistDataSource.TestLabelsFile, [3]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataSource.Load(_files.Directory));

        Assert.Contains($"'{images}' has 3 images but '{labels}' has 2 labels", error.Message);
    }

    [Fact]
    public void Load_TestImageSizeDiffers_Throws()
    {
        _files.WriteImages(MnistDataSource.TrainImagesFile, count: 1, rows: 2, columns: 2);
        _files.WriteLabels(MnistDataSource.TrainLabelsFile, [0]);
        _files.WriteImages(MnistDataSource.TestImagesFile, count: 1, rows: 3, columns: 2);
        _files.WriteLabels(MnistDataSource.TestLabelsFile, [3]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataSource.Load(_files.Directory));

        Assert.Contains("have 6 pixels each; the training images have 4", error.Message);
    }

    [Fact]
    public void Load_LabelOutOfRange_ThrowsNamingIndex()
    {
        _files.WriteImages(MnistDataSource.TrainImagesFile, count: 2, rows: 1, columns: 1);
        string labels = _files.WriteLabels(MnistDataSource.TrainLabelsFile, [0, 10]);
        _files.WriteImages(MnistDataSource.TestImagesFile, count: 1, rows: 1, columns: 1);
        _files.WriteLabels(MnistDataSource.TestLabelsFile, [3]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataSource.Load(_files.Directory));

        Assert.Contains($"'{labels}' has label 10 at index 1; expected 0 to 9", error.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingBothCandidates()
    {
        _files.WriteImages(MnistDataSource.TrainImagesFile, count: 1, rows: 1, columns: 1);

        var error = Assert.Throws<FileNotFoundException>(() => MnistDataSource.Load(_files.Directory));

        string expected = Path.Combine(_files.Directory, MnistDataSource.TrainLabelsFile);
        Assert.Contains($"neither '{expected}' nor '{expected}.gz' exists", error.Message);
    }

    [Fact]
    public void Load_LabelsFileHasImageHeader_Throws()
    {
        _files.WriteImages(MnistDataSource.TrainImagesFile, count: 1, rows: 1, columns: 1);
        _files.WriteImages(MnistDataSource.TrainLabelsFile, count: 1, rows: 1, columns: 1);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataSource.Load(_files.Directory));

        Assert.Contains("has 3 dimensions; expected 1", error.Message);
    }
}
