namespace ParamServer.Server.Optimizers.Internal;

/// <summary>
/// How one update of a slice of <see cref="Length"/> elements is cut into chunks for parallel threads. Chunk
/// starts are multiples of <see cref="Alignment"/> elements, so each chunk begins on a cache-line and vector
/// boundary of the slice.
/// </summary>
internal readonly record struct ChunkPlan(int Length, int ChunkLength, int ChunkCount)
{
    public const int Alignment = 4096;

    /// <summary>Chunks per thread, so a thread that the scheduler delays leaves less work stranded.</summary>
    private const int ChunksPerThread = 4;

    public static ChunkPlan For(int length, int degreeOfParallelism)
    {
        long pieces = (long)degreeOfParallelism * ChunksPerThread;
        long target = (length + pieces - 1) / pieces;
        long aligned = Math.Max(Alignment, (target + Alignment - 1) / Alignment * Alignment);
        int chunkLength = (int)Math.Min(aligned, Math.Max(length, 1));
        int count = (int)(((long)length + chunkLength - 1) / chunkLength);
        return new ChunkPlan(length, chunkLength, count);
    }

    public (int Start, int Length) this[int index]
    {
        get
        {
            int start = index * ChunkLength;
            return (start, Math.Min(ChunkLength, Length - start));
        }
    }
}
