using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>
    /// Waits until the version is at least <paramref name="minVersion"/> and, when <paramref name="workerStep"/> is
    /// set, until the consistency mode lets a worker about to compute that step read the weights; then returns a
    /// referenced snapshot of the current version. The caller must <see cref="WeightsSnapshot.Release"/> it.
    /// </summary>
    /// <exception cref="OperationCanceledException">The call's deadline passed or it was cancelled.</exception>
    public async Task<WeightsSnapshot> AcquireWeightsAsync(
        long minVersion,
        long? workerStep,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                ThrowIfClosedLocked();
                if (_version >= minVersion && (workerStep is null || _consistency.CanRead(workerStep.Value)))
                {
                    return AcquireSnapshotLocked();
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Prepares a pull by <paramref name="workerId"/> (0 for an anonymous reader): checks the worker is registered and
    /// refreshes its liveness. A synchronous worker that has not pushed yet and requests a later version than its
    /// assigned start moves its start there, so no step waits for a push it will never send. That happens when a
    /// worker joins while the shards' versions differ by one.
    /// </summary>
    public void PreparePull(uint workerId, long minVersion, long workerStep)
    {
        if (workerId == 0)
        {
            return;
        }

        lock (_sync)
        {
            ThrowIfClosedLocked();
            if (!_workers.TryGetValue(workerId, out WorkerMember? worker))
            {
                throw Reject(RejectionReasons.Unregistered, ShardErrors.FailedPrecondition(
                    $"worker_id {workerId} is not registered with job '{JobId}' on shard {ShardIndex}; register first " +
                    "or pull with worker_id 0 as an anonymous reader."));
            }

            worker.LastSeenTimestamp = _time.GetTimestamp();
            long start = Math.Max(minVersion, workerStep);
            if (!worker.Evaluator && !worker.HasPushed && _consistency is Consistency.SynchronousConsistency
                && start > worker.NextStep)
            {
                worker.NextStep = start;
                _consistency.OnMembershipChanged();
                PulseLocked();
            }
        }
    }

    /// <summary>Returns a referenced snapshot of the current version, copying the weights only once per version.</summary>
    private WeightsSnapshot AcquireSnapshotLocked()
    {
        if (_snapshot is null || _snapshot.Version != _version)
        {
            byte[] buffer = _snapshotPool.Rent();
            WeightBytes.CopyTo(buffer);
            _snapshot?.Release();
            _snapshot = new WeightsSnapshot(_snapshotPool, buffer, _version, CurrentLearningRateLocked());
        }

        // The job keeps its own reference to the current snapshot until it replaces it, so the count is above zero here.
        _snapshot.TryAddReference();
        return _snapshot;
    }

    /// <summary>Subscriptions one job serves at once; each keeps at most one snapshot, so this bounds their memory.</summary>
    public const int MaxSubscribers = 64;

    private int _subscribers;

    /// <summary>Counts a new subscription; false when <see cref="MaxSubscribers"/> are already open.</summary>
    public bool TryAddSubscriber()
    {
        if (Interlocked.Increment(ref _subscribers) <= MaxSubscribers)
        {
            return true;
        }

        Interlocked.Decrement(ref _subscribers);
        return false;
    }

    public void RemoveSubscriber() => Interlocked.Decrement(ref _subscribers);

    /// <summary>Builds the header that precedes a snapshot's chunks.</summary>
    public WeightsHeader HeaderFor(WeightsSnapshot snapshot) => new()
    {
        JobId = JobId,
        ShardIndex = ShardIndex,
        Version = snapshot.Version,
        RangeStart = Range.Start,
        Length = Range.Length,
        LearningRate = snapshot.LearningRate,
    };
}
