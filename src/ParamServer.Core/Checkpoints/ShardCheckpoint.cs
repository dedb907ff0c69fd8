using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Checkpoints;

/// <summary>
/// Everything one shard needs to resume one job exactly: the job, the shard's place in the cluster, its weights at
/// <see cref="Version"/>, the optimizer and schedule state, the learning-rate override and the deduplication record.
/// All fields describe the same instant: the state after the update that produced <see cref="Version"/>.
/// </summary>
public sealed class ShardCheckpoint
{
    public required JobSpec Job { get; init; }

    public required int ShardIndex { get; init; }

    public required int ShardCount { get; init; }

    /// <summary>The slice of the flat parameter vector this shard owns.</summary>
    public required ShardRange Range { get; init; }

    /// <summary>Global step of the weights: the count of updates the shard's version counter went through.</summary>
    public required long Version { get; init; }

    /// <summary>When the state was captured; the age in status is measured from it.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The shard's weights, <see cref="ShardRange.Length"/> elements.</summary>
    public required float[] Weights { get; init; }

    /// <summary>Updates the optimizer applied; Adam's bias correction uses it as t.</summary>
    public required long OptimizerUpdateCount { get; init; }

    /// <summary>Optimizer state arrays in the optimizer's own order; empty for plain SGD.</summary>
    public required IReadOnlyList<CheckpointBuffer> OptimizerBuffers { get; init; }

    public required CheckpointScheduleState Schedule { get; init; }

    /// <summary>The operator's learning-rate override, or null when the schedule is in effect.</summary>
    public double? LearningRateOverride { get; init; }

    /// <summary>The remembered accepted pushes and their results, by worker in ascending id, each worker's oldest first.</summary>
    public required IReadOnlyList<DeduplicationEntry> Deduplication { get; init; }

    /// <summary>Registered workers, or null when the shard did not record membership.</summary>
    public CheckpointMembership? Membership { get; init; }

    /// <summary>The coordinator's fixed data splits: per epoch, the training worker ids in rank order. Empty on other
    /// shards and before the first epoch.</summary>
    public IReadOnlyDictionary<long, uint[]> EpochAssignments { get; init; } = new Dictionary<long, uint[]>();

    /// <summary>The last evaluation an evaluator reported, or null.</summary>
    public CheckpointEvaluation? LastEvaluation { get; init; }

    /// <summary>Job id, shorthand for <c>Job.JobId</c>.</summary>
    public string JobId => Job.JobId;
}
