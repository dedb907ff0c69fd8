using ParamServer.Protocol.V1;

namespace ParamServer.Server.Membership;

/// <summary>
/// Per-epoch data assignments on the coordinator. The split of epoch e is fixed by the first request for it: the
/// training workers live at that moment, ordered by id, get ranks 0..W-1 of world size W. Every later request for
/// epoch e gets the same split, so all workers agree however their requests interleave. A worker that was not live
/// when the split was fixed gets rank -1 and moves on to epoch e + 1. Mutated only under the job's lock.
/// </summary>
internal sealed class EpochAssignments
{
    /// <summary>Number of fixed epochs remembered; older ones are dropped.</summary>
    public const int RetainedEpochs = 64;

    private readonly SortedDictionary<long, uint[]> _splits = new();

    public DataAssignment Get(long epoch, uint workerId, Func<IReadOnlyList<uint>> liveTrainers)
    {
        if (!_splits.TryGetValue(epoch, out uint[]? members))
        {
            members = liveTrainers().Order().ToArray();
            _splits[epoch] = members;
            while (_splits.Count > RetainedEpochs)
            {
                _splits.Remove(_splits.Keys.First());
            }
        }

        int rank = Array.IndexOf(members, workerId);
        return new DataAssignment { Epoch = epoch, Rank = rank, WorldSize = members.Length };
    }

    /// <summary>The newest epoch fixed so far, or null when none is.</summary>
    public long? NewestEpoch => _splits.Count == 0 ? null : _splits.Keys.Last();

    public bool Contains(long epoch) => _splits.ContainsKey(epoch);

    /// <summary>The oldest epoch still remembered, or null when none is fixed.</summary>
    public long? OldestEpoch => _splits.Count == 0 ? null : _splits.Keys.First();

    /// <summary>Returns a copy of the fixed splits by epoch, for checkpoints.</summary>
    public IReadOnlyDictionary<long, uint[]> Capture() =>
        _splits.ToDictionary(pair => pair.Key, pair => (uint[])pair.Value.Clone());

    public void Restore(IReadOnlyDictionary<long, uint[]> splits)
    {
        _splits.Clear();
        foreach ((long epoch, uint[] members) in splits)
        {
            _splits[epoch] = (uint[])members.Clone();
        }
    }
}
