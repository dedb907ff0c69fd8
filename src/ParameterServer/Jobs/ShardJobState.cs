using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Jobs;

/// <summary>
/// Everything a shard needs to resume a job exactly, captured atomically by <see cref="ShardJob.CaptureState"/>:
/// the spec, the version, the weights of the shard's range, the optimizer and schedule state, the learning-rate
/// override, the membership with each worker's exactly-once record, the fixed epoch assignments and the last
/// evaluation. Pushes still pending in a synchronous step are not part of it; their workers resend them.
/// </summary>
public sealed record ShardJobState(
    JobSpec Spec,
    int ShardIndex,
    long Version,
    float[] Weights,
    long OptimizerUpdateCount,
    IReadOnlyList<OptimizerBuffer> OptimizerBuffers,
    ScheduleState Schedule,
    double? LearningRateOverride,
    uint NextWorkerId,
    IReadOnlyList<WorkerState> Workers,
    IReadOnlyDictionary<long, uint[]> EpochAssignments,
    EvaluationState? LastEvaluation);

/// <summary>A registered worker in a <see cref="ShardJobState"/>.</summary>
/// <param name="NextStep">The step the shard accepts next from this worker.</param>
/// <param name="Ledger">Completed results of the worker's recent pushes, oldest first.</param>
public sealed record WorkerState(
    uint Id,
    string Name,
    bool Evaluator,
    long NextStep,
    bool HasPushed,
    long LastStep,
    IReadOnlyList<LedgerEntry> Ledger);

/// <summary>The result the shard returned for one accepted push; a retry gets it again.</summary>
public sealed record LedgerEntry(long Step, PushResult Result);

/// <summary>The last validation result an evaluator reported.</summary>
public sealed record EvaluationState(long Version, double Loss, double Accuracy, long Samples);
