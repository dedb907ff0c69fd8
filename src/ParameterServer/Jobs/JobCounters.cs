using System.Collections.Concurrent;

namespace ParamServer.Server.Jobs;

/// <summary>Push outcomes, rejections and transfer volume of one job on this shard. Thread-safe.</summary>
internal sealed class JobCounters
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _applied;
    private long _merged;
    private long _deduplicated;
    private long _rejectedStale;
    private long _bytesIn;
    private long _bytesOut;
    private long _evictions;
    private long _updates;
    private long _applyTicks;

    public long Applied => Volatile.Read(ref _applied);

    public long Merged => Volatile.Read(ref _merged);

    public long Deduplicated => Volatile.Read(ref _deduplicated);

    public long RejectedStale => Volatile.Read(ref _rejectedStale);

    public long BytesIn => Volatile.Read(ref _bytesIn);

    public long BytesOut => Volatile.Read(ref _bytesOut);

    public long Evictions => Volatile.Read(ref _evictions);

    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    /// <summary>Optimizer updates applied (synchronous steps or asynchronous pushes).</summary>
    public long Updates => Volatile.Read(ref _updates);

    /// <summary>Total time spent in optimizer updates, including the synchronous averaging, for the apply-time metric.</summary>
    public TimeSpan ApplyTime => TimeSpan.FromTicks(Volatile.Read(ref _applyTicks));

    public void AddUpdate(TimeSpan duration)
    {
        Interlocked.Increment(ref _updates);
        Interlocked.Add(ref _applyTicks, duration.Ticks);
    }

    public void AddApplied() => Interlocked.Increment(ref _applied);

    public void AddMerged(int pushes) => Interlocked.Add(ref _merged, pushes);

    public void AddDeduplicated() => Interlocked.Increment(ref _deduplicated);

    public void AddRejectedStale() => Interlocked.Increment(ref _rejectedStale);

    public void AddRejected(string reason) => _rejected.AddOrUpdate(reason, 1, static (_, count) => count + 1);

    public void AddBytesIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);

    public void AddBytesOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    public void AddEviction() => Interlocked.Increment(ref _evictions);
}
