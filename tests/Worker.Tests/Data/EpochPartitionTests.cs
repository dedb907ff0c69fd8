using ParamServer.Worker.Data;

namespace ParamServer.Worker.Tests.Data;

public sealed class EpochPartitionTests
{
    [Fact]
    public void Indices_AllRanks_CoverEverySampleOnce()
    {
        int[][] slices = Enumerable.Range(0, 3).Select(rank => EpochPartition.Indices(10, rank, 3, seed: 5, epoch: 2)).ToArray();

        Assert.Equal([3, 3, 4], slices.Select(s => s.Length));
        Assert.Equal(Enumerable.Range(0, 10), slices.SelectMany(s => s).Order());
    }

    [Fact]
    public void Indices_SameArguments_AreDeterministic()
    {
        Assert.Equal(EpochPartition.Indices(100, 1, 2, 7, 3), EpochPartition.Indices(100, 1, 2, 7, 3));
    }

    [Fact]
    public void Indices_NextEpoch_Reshuffles()
    {
        Assert.NotEqual(EpochPartition.Indices(100, 0, 1, 7, 0), EpochPartition.Indices(100, 0, 1, 7, 1));
    }

    [Fact]
    public void Indices_RankOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EpochPartition.Indices(10, 2, 2, 0, 0));
    }

    [Fact]
    public void Gather_Indices_CopiesRowsAndLabels()
    {
        var dataset = new Dataset([0, 1, 10, 11, 20, 21], [5, 6, 7], features: 2);
        var inputs = new float[4];
        var labels = new int[2];

        EpochPartition.Gather(dataset, [2, 0], inputs, labels);

        Assert.Equal([20f, 21f, 0f, 1f], inputs);
        Assert.Equal([7, 5], labels);
    }
}
