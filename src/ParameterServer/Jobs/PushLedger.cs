using ParamServer.Protocol.V1;

namespace ParamServer.Server.Jobs;

/// <summary>
/// The exactly-once record of one worker: the result, final or pending, of each of its last
/// <see cref="Capacity"/> accepted pushes, keyed by worker step. Steps of one worker are accepted strictly in
/// order, so a retry is always for one of the most recent steps. Mutated only under the job's lock.
/// </summary>
internal sealed class PushLedger
{
    /// <summary>Pushes remembered per worker.</summary>
    public const int Capacity = 16;

    private readonly Dictionary<long, Task<PushResult>> _results = new();
    private readonly Queue<long> _order = new();

    /// <summary>Oldest step still remembered, or -1 when empty.</summary>
    public long OldestStep => _order.Count == 0 ? -1 : _order.Peek();

    public int Count => _order.Count;

    public bool TryGet(long step, out Task<PushResult> result) => _results.TryGetValue(step, out result!);

    public void Record(long step, Task<PushResult> result)
    {
        if (_results.TryAdd(step, result))
        {
            _order.Enqueue(step);
        }

        while (_order.Count > Capacity)
        {
            _results.Remove(_order.Dequeue());
        }
    }

    /// <summary>Whether the push of <paramref name="step"/> is remembered and its result is final.</summary>
    public bool IsCompleted(long step) => _results.TryGetValue(step, out Task<PushResult>? result) && result.IsCompletedSuccessfully;

    /// <summary>Returns the completed results in step order, for checkpoints; pending pushes are left out.</summary>
    public IReadOnlyList<(long Step, PushResult Result)> CompletedEntries()
    {
        var entries = new List<(long, PushResult)>(_order.Count);
        foreach (long step in _order)
        {
            Task<PushResult> task = _results[step];
            if (task.IsCompletedSuccessfully)
            {
                entries.Add((step, task.Result));
            }
        }

        return entries;
    }
}
