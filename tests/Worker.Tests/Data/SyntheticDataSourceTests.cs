using ParamServer.Worker.Data;

namespace ParamServer.Worker.Tests.Data;

public sealed class SyntheticDataSourceTests
{
    [Fact]
    public void Constructor_SameSeed_GivesIdenticalData()
    {
        var first = new SyntheticDataSource(features: 12, classes: 3, trainSamples: 50, testSamples: 20, seed: 42);
        var second = new SyntheticDataSource(features: 12, classes: 3, trainSamples: 50, testSamples: 20, seed: 42);

        Assert.Equal(first.Train.Inputs, second.Train.Inputs);
        Assert.Equal(first.Train.Labels, second.Train.Labels);
        Assert.Equal(first.Test.Inputs, second.Test.Inputs);
        Assert.Equal(first.Test.Labels, second.Test.Labels);
    }

    [Fact]
    public void Constructor_OtherSeed_GivesOtherData()
    {
        var first = new SyntheticDataSource(8, 2, 10, 0, seed: 1);
        var second = new SyntheticDataSource(8, 2, 10, 0, seed: 2);

        Assert.NotEqual(first.Train.Inputs, second.Train.Inputs);
    }

    [Fact]
    public void Constructor_Labels_AreArgMaxOfTeacher()
    {
        var source = new SyntheticDataSource(features: 6, classes: 4, trainSamples: 200, testSamples: 10, seed: 3);

        for (int s = 0; s < source.Train.Count; s++)
        {
            double[] scores = new double[4];
            for (int f = 0; f < 6; f++)
            {
                for (int c = 0; c < 4; c++)
                {
                    scores[c] += source.Train.Inputs[s * 6 + f] * source.Teacher[f * 4 + c];
                }
            }

            Assert.Equal(Array.IndexOf(scores, scores.Max()), source.Train.Labels[s]);
        }

        // A random linear teacher over symmetric inputs uses every class.
        Assert.Equal(4, source.Train.Labels.Distinct().Count());
    }

    [Fact]
    public void Constructor_TrainAndTest_AreDifferentDraws()
    {
        var source = new SyntheticDataSource(4, 2, trainSamples: 5, testSamples: 5, seed: 9);

        Assert.NotEqual(source.Train.Inputs, source.Test.Inputs);
        Assert.Equal("synthetic-4x2", source.Name);
    }
}
