using ParamServer.Protocol.V1;
using ParamServer.Server.Checkpoints;
using ParamServer.Server.Consistency;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>Set when the job was restored from a checkpoint; enables <see cref="AdoptClusterStepLocked"/>.</summary>
    private bool _restoredFromCheckpoint;

    /// <summary>First step skipped by adopting the cluster's step, or -1 before any was skipped.</summary>
    private long _skippedFrom = -1;

    /// <summary>First step after the skipped window: the highest step adopted so far.</summary>
    private long _skippedTo = -1;

    /// <summary>
    /// Applies the rule for a shard that restarted from a checkpoint older than the rest of the cluster, before the
    /// push's version and step checks run. Synchronous mode: a push for worker step k above the version moves the
    /// version to k without an update, so the lost steps are dropped for this shard's range and every shard gathers
    /// step k again. Pushes of a skipped step, gathered or arriving later, get the result of an already applied push (see
    /// <see cref="RecordSkippedStepLocked"/>). Other modes keep their own version count, so a base version above it,
    /// computed on weights the shard no longer has, fails with FailedPrecondition and the worker pulls again.
    /// </summary>
    /// <returns>True when the push is for a skipped step; the caller returns the skipped-step result without applying it.</returns>
    private bool AdoptClusterStepLocked(PushHeader header)
    {
        if (!_restoredFromCheckpoint)
        {
            return false;
        }

        if (_consistency is not SynchronousConsistency synchronous)
        {
            if (header.BaseVersion > _version)
            {
                throw Reject(RejectionReasons.InvalidVersion, ShardErrors.FailedPrecondition(
                    $"header.base_version is {header.BaseVersion} but shard {ShardIndex} of job '{JobId}' restarted " +
                    $"from a checkpoint and is at version {_version}; pull the weights and push again."));
            }

            return false;
        }

        long step = header.WorkerStep;
        if (step >= _skippedFrom && step < _skippedTo)
        {
            return true;
        }

        if (step <= _version || header.BaseVersion > step)
        {
            // Not ahead of this shard; the regular checks accept or reject it.
            return false;
        }

        long from = _version;
        _skippedFrom = _skippedFrom < 0 ? from : Math.Min(_skippedFrom, from);
        _skippedTo = step;
        _version = step;
        foreach (WorkerMember worker in _workers.Values)
        {
            if (!worker.Evaluator && worker.NextStep < step)
            {
                worker.NextStep = step;
            }
        }

        synchronous.Supersede(SkippedStepResultLocked());
        _snapshot?.Release();
        _snapshot = null;
        CheckpointLog.FastForwarded(_logger, JobId, ShardIndex, from, step);
        PulseLocked();
        return false;
    }

    /// <summary>
    /// Records the result returned for a push of a step the shard skipped: outcome DEDUPLICATED at the current version,
    /// because the cluster already moved past that step and its update is lost for this range. The worker then
    /// continues at the current version like every other worker, and a retry gets the same answer.
    /// </summary>
    private Task<PushResult> RecordSkippedStepLocked(WorkerMember worker, long step)
    {
        Task<PushResult> result = Task.FromResult(SkippedStepResultLocked());
        worker.Ledger.Record(step, result);
        worker.HasPushed = true;
        worker.LastStep = Math.Max(worker.LastStep, step);
        worker.NextStep = Math.Max(worker.NextStep, step + 1);
        return result;
    }

    private PushResult SkippedStepResultLocked() => new()
    {
        Outcome = PushOutcome.Deduplicated,
        Version = _version,
        Staleness = 0,
        LearningRate = CurrentLearningRateLocked(),
        Contributors = 0,
    };
}
