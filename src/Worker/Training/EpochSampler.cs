using ParamServer.Model;
using ParamServer.Sharding;

namespace ParamServer.Worker.Training;

/// <summary>
/// The order in which one worker visits the training set in one epoch. Every worker draws the same permutation of
/// all sample indexes from (data seed, epoch) and takes the contiguous block of it that belongs to its rank, split
/// as <see cref="RangePartitioner"/> splits a model (block sizes differ by at most one). The blocks of ranks
/// 0 .. world size - 1 tile the permutation, so together the workers visit every sample exactly once per epoch,
/// and each epoch has a different order.
/// </summary>
public sealed class EpochSampler
{
    private readonly int[] _indexes;

    public EpochSampler(int sampleCount, ulong dataSeed, long epoch, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);

        Epoch = epoch;
        Rank = rank;
        WorldSize = worldSize;
        int[] permutation = Permutation(sampleCount, dataSeed, epoch);
        ShardRange block = RangePartitioner.RangeOf(sampleCount, worldSize, rank);
        _indexes = permutation.AsSpan((int)block.Start, (int)block.Length).ToArray();
    }

    public long Epoch { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>Sample indexes of this rank's block, in visiting order.</summary>
    public ReadOnlySpan<int> Indexes => _indexes;

    /// <summary>Number of samples this rank visits in the epoch.</summary>
    public int Count => _indexes.Length;

    /// <summary>Number of minibatches: the last one holds the remainder and may be smaller.</summary>
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
        long largestBlock = RangePartitioner.RangeOf(sampleCount, worldSize, 0).Length;
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

    /// <summary>
    /// Returns a Fisher-Yates shuffle of 0 .. count - 1 driven by the counter-based generator of the model
    /// initializers, keyed by (seed, epoch), so every process computes the same permutation.
    /// </summary>
    public static int[] Permutation(int count, ulong dataSeed, long epoch)
    {
        var permutation = new int[count];
        for (int i = 0; i < count; i++)
        {
            permutation[i] = i;
        }

        ulong stream = dataSeed ^ (0xD1B54A32D192ED03UL * ((ulong)epoch + 1));
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(TensorInitializer.UniformAt(stream, (ulong)i) * (i + 1));
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return permutation;
    }
}
