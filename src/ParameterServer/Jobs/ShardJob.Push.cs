using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Consistency;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>
    /// Whether <paramref name="header"/> announces an empty push: length 0 and batch_size 0, sent by a synchronous
    /// worker that has no batch left in its epoch but must still take part in the step.
    /// </summary>
    public static bool IsEmptyPush(PushHeader header) => header.Length == 0 && header.BatchSize == 0;

    /// <summary>
    /// Checks a push header before its chunks are read, so a bad push is rejected without receiving the gradient.
    /// Counts and throws the error of the first failed check.
    /// </summary>
    public void ValidateHeader(PushHeader header)
    {
        if (header.ShardIndex != ShardIndex)
        {
            throw Reject(RejectionReasons.WrongShard, ShardErrors.InvalidArgument(
                $"header.shard_index is {header.ShardIndex}; this is shard {ShardIndex} of job '{JobId}'."));
        }

        if (header.RangeStart != Range.Start)
        {
            throw Reject(RejectionReasons.InvalidRange, ShardErrors.InvalidArgument(
                $"header.range_start is {header.RangeStart}; expected {Range.Start}, the start of shard {ShardIndex}'s " +
                $"range {Range} of job '{JobId}'."));
        }

        if (header.Length != Range.Length && !IsEmptyPush(header))
        {
            throw Reject(RejectionReasons.InvalidLength, ShardErrors.InvalidArgument(
                $"header.length is {header.Length}; expected {Range.Length}, the length of shard {ShardIndex}'s range " +
                $"{Range} of job '{JobId}' (or 0 with batch_size 0 for an empty push)."));
        }

        if (header.WorkerStep < 0)
        {
            throw Reject(RejectionReasons.OutOfOrder, ShardErrors.InvalidArgument(
                $"header.worker_step is {header.WorkerStep}; expected 0 or more."));
        }

        lock (_sync)
        {
            WorkerMember worker = TrainerLocked(header.WorkerId);
            bool skipped = AdoptClusterStepLocked(header);
            CheckBaseVersionLocked(header);
            if (!skipped && !worker.Ledger.TryGet(header.WorkerStep, out _))
            {
                CheckStepOrderLocked(worker, header.WorkerStep);
            }
        }
    }

    /// <summary>
    /// Submits a fully received and validated push and returns its result once the consistency mode has applied it.
    /// Takes ownership of <paramref name="gradient"/> (null for an empty push). A retry of an already accepted
    /// (worker, step) returns the original result with outcome DEDUPLICATED, waiting for it if that push is still
    /// pending in a synchronous step; nothing is applied twice. Cancelling the wait leaves an accepted push in place.
    /// </summary>
    public async Task<PushResult> SubmitAsync(PushHeader header, byte[]? gradient, CancellationToken cancellationToken)
    {
        Task<PushResult> result;
        bool retry;
        try
        {
            lock (_sync)
            {
                ThrowIfClosedLocked();
                WorkerMember worker = TrainerLocked(header.WorkerId);
                worker.LastSeenTimestamp = _time.GetTimestamp();
                retry = worker.Ledger.TryGet(header.WorkerStep, out result);
                if (!retry && AdoptClusterStepLocked(header))
                {
                    result = RecordSkippedStepLocked(worker, header.WorkerStep);
                    retry = true;
                }

                if (retry)
                {
                    Counters.AddDeduplicated();
                    PulseLocked();
                }
                else
                {
                    CheckBaseVersionLocked(header);
                    CheckStepOrderLocked(worker, header.WorkerStep);
                    if (_consistency.CheckStep(worker, header.WorkerStep) is { } error)
                    {
                        throw Reject(RejectionReasons.OutOfOrder, error);
                    }

                    worker.NextStep = header.WorkerStep + 1;
                    worker.HasPushed = true;
                    worker.LastStep = Math.Max(worker.LastStep, header.WorkerStep);
                    if (double.IsFinite(header.TrainingLoss) && !IsEmptyPush(header))
                    {
                        worker.LastTrainingLoss = header.TrainingLoss;
                        _lastTrainingLoss = header.TrainingLoss;
                    }

                    var push = new PendingPush(worker, header.WorkerStep, header.BaseVersion, gradient);
                    gradient = null;
                    result = _consistency.Accept(push);
                    worker.LastStaleness = result.IsCompletedSuccessfully ? result.Result.Staleness : 0;
                    worker.Ledger.Record(header.WorkerStep, result);
                    PulseLocked();
                }
            }
        }
        finally
        {
            if (gradient is not null)
            {
                _gradientPool.Return(gradient);
            }
        }

        if (!retry)
        {
            return await result.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        JobLog.PushDeduplicated(_logger, JobId, ShardIndex, header.WorkerId, header.WorkerStep);
        PushResult original = await result.WaitAsync(cancellationToken).ConfigureAwait(false);
        PushResult repeated = original.Clone();
        repeated.Outcome = PushOutcome.Deduplicated;
        return repeated;
    }

    /// <summary>Counts a rejection that the transport layer detected (bad chunk, NaN, missing bytes).</summary>
    public RpcException Reject(string reason, RpcException error)
    {
        Counters.AddRejected(reason);
        JobLog.PushRejected(_logger, JobId, ShardIndex, reason, error.Status.Detail);
        return error;
    }

    private WorkerMember TrainerLocked(uint workerId)
    {
        if (!_workers.TryGetValue(workerId, out WorkerMember? worker))
        {
            throw Reject(RejectionReasons.Unregistered, ShardErrors.FailedPrecondition(
                $"worker_id {workerId} is not registered with job '{JobId}' on shard {ShardIndex}; register first " +
                "(it may have been evicted after missing heartbeats)."));
        }

        if (worker.Evaluator)
        {
            throw Reject(RejectionReasons.Unregistered, ShardErrors.FailedPrecondition(
                $"worker_id {workerId} registered as an evaluator; evaluators read weights and do not push."));
        }

        return worker;
    }

    private void CheckBaseVersionLocked(PushHeader header)
    {
        if (header.BaseVersion < 0 || header.BaseVersion > _version)
        {
            throw Reject(RejectionReasons.InvalidVersion, ShardErrors.InvalidArgument(
                $"header.base_version is {header.BaseVersion}; expected a version in [0, {_version}], the shard's " +
                "current version or an older one."));
        }
    }

    private void CheckStepOrderLocked(WorkerMember worker, long step)
    {
        if (step < worker.NextStep)
        {
            string window = worker.Ledger.Count == 0
                ? "no pushes are remembered"
                : $"only steps from {worker.Ledger.OldestStep} are remembered";
            throw Reject(RejectionReasons.OutOfOrder, ShardErrors.FailedPrecondition(
                $"worker_step is {step} but worker {worker.Id} must push step {worker.NextStep} next; it is not a " +
                $"retry this shard can answer ({window})."));
        }

        // Before its first push a worker may start later than the step assigned at registration.
        if (step > worker.NextStep && worker.HasPushed)
        {
            throw Reject(RejectionReasons.OutOfOrder, ShardErrors.FailedPrecondition(
                $"worker_step is {step} but worker {worker.Id} must push step {worker.NextStep} next; steps are " +
                "accepted in order without gaps."));
        }
    }

    private void ThrowIfClosedLocked()
    {
        if (_closed)
        {
            throw ShardErrors.Unavailable($"job '{JobId}' on shard {ShardIndex} is shutting down; retry later.");
        }
    }
}
