using ParamServer.Worker.Data;

namespace ParamServer.Worker.Training;

/// <summary>
/// The minibatches one worker trains in one epoch. Every worker draws the same permutation of all sample indexes
/// from (data seed, epoch) and takes the contiguous block of it that belongs to its rank
/// (<see cref="EpochPartition"/>), so together the workers visit every sample exactly once per epoch, and each
/// epoch has a different order. Block sizes differ by at most one sample.
/// </summary>
public sealed class EpochSampler
{
    private readonly int[] _indexes;

    public EpochSampler(int sampleCount, ulong dataSeed, long epoch, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Epoch = epoch;
        Rank = rank;
        WorldSize = worldSize;
        _indexes = EpochPartition.Indices(sampleCount, rank, worldSize, dataSeed, epoch);
    }

    public long Epoch { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>Sample indexes of this rank's block, in visiting order.</summary>
    public ReadOnlySpan<int> Indexes => _indexes;

    /// <summary>Number of samples this rank visits in the epoch.</summary>
    public int Count => _indexes.Length;

    /// <summary>Returns the number of minibatches. The last one contains the remainder and may be smaller.</summary>
    public int BatchCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return (_indexes.Length + batchSize - 1) / batchSize;
    }

    /// <summary>
    /// Returns the minibatches of the largest rank block of an epoch: the number of steps every worker of a
    /// synchronous job takes in that epoch, so that the workers stay in the same epoch.
    /// </summary>
    public static int MaxBatchCount(int sampleCount, int worldSize, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long largestBlock = ((long)sampleCount + worldSize - 1) / worldSize;
        return (int)((largestBlock + batchSize - 1) / batchSize);
    }

    /// <summary>Returns the sample indexes of minibatch <paramref name="batch"/>.</summary>
    public ReadOnlySpan<int> Batch(int batch, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, BatchCount(batchSize));
        int start = batch * batchSize;
        return _indexes.AsSpan(start, Math.Min(batchSize, _indexes.Length - start));
    }
}
