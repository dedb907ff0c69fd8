using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

public sealed class EpochSamplerTests
{
    [Theory]
    [InlineData(103, 4)]
    [InlineData(60000, 3)]
    [InlineData(5, 8)]
    [InlineData(1, 1)]
    public void Ranks_OneEpoch_CoverEverySampleOnce(int samples, int worldSize)
    {
        var seen = new int[samples];
        for (int rank = 0; rank < worldSize; rank++)
        {
            var sampler = new EpochSampler(samples, dataSeed: 42, epoch: 2, rank, worldSize);
            foreach (int index in sampler.Indexes)
            {
                seen[index]++;
            }
        }

        Assert.All(seen, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Ranks_UnevenSplit_DifferByOne()
    {
        int[] sizes = Enumerable.Range(0, 4).Select(r => new EpochSampler(103, 42, 0, r, 4).Count).ToArray();

        Assert.Equal([25, 26, 26, 26], sizes);
    }

    [Fact]
    public void Sampler_NextEpoch_Reshuffles()
    {
        int[] epoch0 = new EpochSampler(1000, 42, 0, 0, 1).Indexes.ToArray();
        int[] epoch1 = new EpochSampler(1000, 42, 1, 0, 1).Indexes.ToArray();

        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(Enumerable.Range(0, 1000), epoch1.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), epoch0);
    }

    [Fact]
    public void Sampler_RankSplitChangesWithEpoch()
    {
        int[] rank0Epoch0 = new EpochSampler(1000, 42, 0, 0, 2).Indexes.ToArray();
        int[] rank0Epoch1 = new EpochSampler(1000, 42, 1, 0, 2).Indexes.ToArray();

        // Half of rank 0's samples in epoch 1 were rank 1's in epoch 0, give or take the randomness of the shuffle.
        int shared = rank0Epoch1.Intersect(rank0Epoch0).Count();
        Assert.InRange(shared, 200, 300);
    }

    [Fact]
    public void Sampler_SameSeedAndEpoch_SameOrder()
    {
        int[] first = new EpochSampler(500, 7, 3, 1, 3).Indexes.ToArray();
        int[] second = new EpochSampler(500, 7, 3, 1, 3).Indexes.ToArray();
        int[] otherSeed = new EpochSampler(500, 8, 3, 1, 3).Indexes.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Batches_TileTheBlock_LastOneSmaller()
    {
        var sampler = new EpochSampler(103, 42, 0, 0, 4);

        Assert.Equal(25, sampler.Count);
        Assert.Equal(4, sampler.BatchCount(8));
        Assert.Equal([8, 8, 8, 1], Enumerable.Range(0, 4).Select(b => sampler.Batch(b, 8).Length));
        int[] joined = Enumerable.Range(0, 4).SelectMany(b => sampler.Batch(b, 8).ToArray()).ToArray();
        Assert.Equal(sampler.Indexes.ToArray(), joined);
    }

    [Theory]
    [InlineData(103, 4, 8, 4)]
    [InlineData(512, 2, 32, 8)]
    [InlineData(513, 2, 32, 9)]
    [InlineData(3, 4, 1, 1)]
    public void MaxBatchCount_LargestBlock_RoundsUp(int samples, int worldSize, int batchSize, int expected)
    {
        Assert.Equal(expected, EpochSampler.MaxBatchCount(samples, worldSize, batchSize));
    }

    [Fact]
    public void Sampler_RankOutsideWorld_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSampler(10, 1, 0, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSampler(10, 1, 0, -1, 2));
    }
}
