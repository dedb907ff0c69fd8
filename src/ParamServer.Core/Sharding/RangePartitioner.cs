using ParamServer.Model;

namespace ParamServer.Sharding;

/// <summary>
/// Splits the flat parameter vector into one contiguous range per shard. The model is the concatenation
/// w = [w_0; w_1; ...; w_(S-1)] of the shards' disjoint parts, and shard sizes differ by at most one element:
/// the first (N mod S) shards own one extra element. Workers and shards call this with the same inputs and
/// get the same ranges, so every push or pull to a shard is one contiguous slice.
/// </summary>
public static class RangePartitioner
{
    /// <summary>Returns the range that shard <paramref name="shardIndex"/> of <paramref name="shardCount"/> owns.</summary>
    public static ShardRange RangeOf(long totalElements, int shardCount, int shardIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalElements);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);

        long baseSize = totalElements / shardCount;
        long remainder = totalElements % shardCount;
        long start = shardIndex * baseSize + Math.Min(shardIndex, remainder);
        long length = baseSize + (shardIndex < remainder ? 1 : 0);
        return new ShardRange(start, length);
    }

    /// <summary>Returns the ranges of all shards, in shard order; they tile [0, totalElements).</summary>
    public static ShardRange[] Partition(long totalElements, int shardCount)
    {
        var ranges = new ShardRange[shardCount];
        for (int s = 0; s < shardCount; s++)
        {
            ranges[s] = RangeOf(totalElements, shardCount, s);
        }

        return ranges;
    }

    public static ShardRange[] Partition(ModelLayout layout, int shardCount) => Partition(layout.TotalElements, shardCount);

    /// <summary>
    /// Lists the pieces of tensors that fall inside <paramref name="range"/>, in order; a tensor that straddles a
    /// shard boundary contributes one piece to each shard.
    /// </summary>
    public static IReadOnlyList<TensorPiece> PiecesIn(ModelLayout layout, ShardRange range)
    {
        var pieces = new List<TensorPiece>();
        foreach (TensorSlot tensor in layout.Tensors)
        {
            long start = Math.Max(tensor.Offset, range.Start);
            long end = Math.Min(tensor.End, range.End);
            if (start < end)
            {
                pieces.Add(new TensorPiece(tensor, start - tensor.Offset, start - range.Start, end - start));
            }
        }

        return pieces;
    }
}

/// <summary>
/// Part of a tensor inside a shard's range: <see cref="Length"/> elements starting at
/// <see cref="OffsetInTensor"/> in the tensor and at <see cref="OffsetInShard"/> in the shard's slice.
/// </summary>
public readonly record struct TensorPiece(TensorSlot Tensor, long OffsetInTensor, long OffsetInShard, long Length);
