using Grpc.Core;
using ParamServer.Checkpoints;
using ParamServer.Server.Jobs;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Connects the checkpoint service to the shard's <see cref="JobRegistry"/>: converts a job's captured
/// <see cref="ShardJobState"/> to a <see cref="ShardCheckpoint"/> and back.
/// </summary>
internal sealed class JobRegistryCheckpointTarget(JobRegistry registry, TimeProvider time) : ICheckpointTarget
{
    public IReadOnlyCollection<string> JobIds => [.. registry.Jobs.Select(job => job.JobId)];

    public long? GetVersion(string jobId) => registry.TryGet(jobId, out ShardJob job) ? job.Version : null;

    public Task WaitForVersionAsync(string jobId, long version, CancellationToken cancellationToken) =>
        registry.TryGet(jobId, out ShardJob job)
            ? job.WaitForVersionAsync(version, cancellationToken)
            : Task.FromException(new OperationCanceledException($"job '{jobId}' is gone."));

    public ShardCheckpoint? Capture(string jobId)
    {
        if (!registry.TryGet(jobId, out ShardJob job))
        {
            return null;
        }

        ShardJobState state = job.CaptureState();
        return ToCheckpoint(state, registry.ShardCount, job.Range, time.GetUtcNow());
    }

    public void Restore(ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ShardIndex != registry.ShardIndex || checkpoint.ShardCount != registry.ShardCount)
        {
            throw new ArgumentException(
                $"the checkpoint is of shard {checkpoint.ShardIndex} of {checkpoint.ShardCount}; this is shard "
                + $"{registry.ShardIndex} of {registry.ShardCount}.", nameof(checkpoint));
        }

        try
        {
            registry.Restore(ToState(checkpoint));
        }
        catch (RpcException ex)
        {
            throw new ArgumentException($"the checkpoint's job spec is rejected: {ex.Status.Detail}", nameof(checkpoint), ex);
        }
    }

    internal static ShardCheckpoint ToCheckpoint(
        ShardJobState state,
        int shardCount,
        Sharding.ShardRange range,
        DateTimeOffset createdAt) => new()
    {
        Job = state.Spec,
        ShardIndex = state.ShardIndex,
        ShardCount = shardCount,
        Range = range,
        Version = state.Version,
        CreatedAt = createdAt,
        Weights = state.Weights,
        OptimizerUpdateCount = state.OptimizerUpdateCount,
        OptimizerBuffers = [.. state.OptimizerBuffers.Select(b => new CheckpointBuffer(b.Name, b.Values))],
        Schedule = CheckpointStateMapper.ToCheckpoint(state.Schedule),
        LearningRateOverride = state.LearningRateOverride,
        Deduplication =
        [
            .. state.Workers.SelectMany(worker =>
                worker.Ledger.Select(entry => new DeduplicationEntry(worker.Id, entry.Step, entry.Result))),
        ],
        Membership = new CheckpointMembership(
            state.NextWorkerId,
            [
                .. state.Workers.Select(worker => new CheckpointMember(
                    worker.Id, worker.Name, worker.Evaluator, worker.NextStep, worker.HasPushed, worker.LastStep)),
            ]),
        EpochAssignments = state.EpochAssignments,
        LastEvaluation = state.LastEvaluation is { } evaluation
            ? new CheckpointEvaluation(evaluation.Version, evaluation.Loss, evaluation.Accuracy, evaluation.Samples)
            : null,
    };

    internal static ShardJobState ToState(ShardCheckpoint checkpoint)
    {
        ILookup<uint, DeduplicationEntry> ledgers = checkpoint.Deduplication.ToLookup(entry => entry.WorkerId);
        IReadOnlyList<CheckpointMember> members = checkpoint.Membership?.Members ?? [];
        var workers = members
            .Select(member => new WorkerState(
                member.WorkerId,
                member.Name,
                member.Evaluator,
                member.NextStep,
                member.HasPushed,
                member.LastStep,
                [.. ledgers[member.WorkerId].OrderBy(e => e.Step).Select(e => new LedgerEntry(e.Step, e.Result))]))
            .ToList();
        EvaluationState? evaluation = checkpoint.LastEvaluation is { } last
            ? new EvaluationState(last.Version, last.Loss, last.Accuracy, last.Samples)
            : null;
        return new ShardJobState(
            checkpoint.Job,
            checkpoint.ShardIndex,
            checkpoint.Version,
            checkpoint.Weights,
            checkpoint.OptimizerUpdateCount,
            [.. checkpoint.OptimizerBuffers.Select(b => new OptimizerBuffer(b.Name, b.Values))],
            CheckpointStateMapper.ToScheduleState(checkpoint.Schedule),
            checkpoint.LearningRateOverride,
            checkpoint.Membership?.NextWorkerId ?? 1,
            workers,
            checkpoint.EpochAssignments,
            evaluation);
    }
}
