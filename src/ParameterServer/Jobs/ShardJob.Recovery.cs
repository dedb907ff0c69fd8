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

    /// <summary>
    /// Applies the rule for a shard that restarted from a checkpoint older than the rest of the cluster, before the
    /// push's version and step checks run. Synchronous mode: a push for worker step k above the version v moves the
    /// version to k without an update, so the lost steps v..k-1 are dropped for this shard's range and every shard
    /// gathers step k again; pushes gathered for v fail with FailedPrecondition and their workers register again
    /// and push step k. Other modes keep their own version count, so a base version above it, computed on weights
    /// the shard no longer has, fails with FailedPrecondition and the worker pulls and pushes again.
    /// </summary>
    private void AdoptClusterStepLocked(PushHeader header)
    {
        if (!_restoredFromCheckpoint || (header.WorkerStep <= _version && header.BaseVersion <= _version))
        {
            return;
        }

        if (_consistency is not SynchronousConsistency)
        {
            throw Reject(RejectionReasons.InvalidVersion, ShardErrors.FailedPrecondition(
                $"header.base_version is {header.BaseVersion} but shard {ShardIndex} of job '{JobId}' restarted from a " +
                $"checkpoint and is at version {_version}; pull the weights and push again."));
        }

        if (header.WorkerStep <= _version || header.BaseVersion > header.WorkerStep)
        {
            // Not a step ahead of this shard; the regular checks reject or accept it.
            return;
        }

        long from = _version;
        long to = header.WorkerStep;
        _consistency.Abort(ShardErrors.FailedPrecondition(
            $"shard {ShardIndex} of job '{JobId}' moved from step {from} to the cluster's step {to} after restarting " +
            $"from a checkpoint; register again and push step {to}."));
        _version = to;
        foreach (WorkerMember worker in _workers.Values)
        {
            if (!worker.Evaluator && worker.NextStep < to)
            {
                worker.NextStep = to;
            }
        }

        _snapshot?.Release();
        _snapshot = null;
        CheckpointLog.FastForwarded(_logger, JobId, ShardIndex, from, to);
        PulseLocked();
    }
}
