using ParamServer.Model;
using ParamServer.Sharding;

namespace ParamServer.Core.Tests;

public class RangePartitionerTests
{
    [Fact]
    public void Partition_TenOverThree_FirstShardGetsExtra()
    {
        ShardRange[] ranges = RangePartitioner.Partition(10, 3);

        Assert.Equal(new ShardRange(0, 4), ranges[0]);
        Assert.Equal(new ShardRange(4, 3), ranges[1]);
        Assert.Equal(new ShardRange(7, 3), ranges[2]);
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L, 4)]
    [InlineData(235_146L, 2)]
    [InlineData(235_146L, 7)]
    [InlineData(50_000_001L, 16)]
    public void Partition_AnySize_TilesVectorWithSizesWithinOne(long total, int shards)
    {
        ShardRange[] ranges = RangePartitioner.Partition(total, shards);

        Assert.Equal(shards, ranges.Length);
        Assert.Equal(0, ranges[0].Start);
        for (int s = 1; s < shards; s++)
        {
            Assert.Equal(ranges[s - 1].End, ranges[s].Start);
        }

        Assert.Equal(total, ranges[^1].End);
        long min = ranges.Min(r => r.Length);
        long max = ranges.Max(r => r.Length);
        Assert.True(max - min <= 1, $"shard sizes range from {min} to {max}");
    }

    [Fact]
    public void RangeOf_IndexOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RangePartitioner.RangeOf(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => RangePartitioner.RangeOf(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RangePartitioner.RangeOf(-1, 1, 0));
    }

    [Fact]
    public void PiecesIn_TensorStraddlesBoundary_SplitsIntoTwoPieces()
    {
        // 784-256-128-10 has 235 146 parameters; with two shards the boundary at 117 573 falls inside dense0.weight.
        ModelLayout layout = ModelLayout.Create(MlpModel.CreateSpec(MlpModel.DefaultLayerSizes, seed: 1));
        ShardRange[] ranges = RangePartitioner.Partition(layout, 2);

        IReadOnlyList<TensorPiece> first = RangePartitioner.PiecesIn(layout, ranges[0]);
        IReadOnlyList<TensorPiece> second = RangePartitioner.PiecesIn(layout, ranges[1]);

        Assert.Equal(235_146, layout.TotalElements);
        Assert.Equal(117_573, ranges[0].Length);
        Assert.Single(first);
        Assert.Equal("dense0.weight", first[0].Tensor.Name);
        Assert.Equal(0, first[0].OffsetInTensor);
        Assert.Equal(117_573, first[0].Length);
        Assert.Equal("dense0.weight", second[0].Tensor.Name);
        Assert.Equal(117_573, second[0].OffsetInTensor);
        Assert.Equal(0, second[0].OffsetInShard);
        Assert.Equal(784 * 256 - 117_573, second[0].Length);
        Assert.Equal(6, second.Count);
        Assert.Equal(ranges[1].Length, second.Sum(p => p.Length));
    }
}
