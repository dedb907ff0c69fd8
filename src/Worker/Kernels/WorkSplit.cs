namespace ParamServer.Worker.Kernels;

/// <summary>
/// Launch geometry of the elementwise and loss kernels: <see cref="Threads"/> threads, thread t handling items
/// [t * ItemsPerThread, min((t + 1) * ItemsPerThread, count)).
/// </summary>
public readonly record struct WorkSplit(int Threads, int ItemsPerThread)
{
    /// <summary>One item per thread, as a GPU wants it.</summary>
    public static WorkSplit PerItem(int items) => new(Math.Max(items, 1), 1);

    /// <summary>At most <paramref name="maxThreads"/> threads, each over a contiguous block of items.</summary>
    public static WorkSplit Blocked(int items, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        int threads = Math.Clamp(items, 1, maxThreads);
        int perThread = Math.Max(1, (items + threads - 1) / threads);

        // Rounding up can leave trailing threads without items; launch only those that have some.
        threads = Math.Max(1, (items + perThread - 1) / perThread);
        return new WorkSplit(threads, perThread);
    }
}
