namespace ParamServer.Server.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(1100, LogLevel.Information,
        "Job {JobId} created on shard {ShardIndex}: range [{RangeStart}, {RangeEnd}), mode {Mode}")]
    public static partial void JobCreated(ILogger logger, string jobId, int shardIndex, long rangeStart, long rangeEnd,
        string mode);

    [LoggerMessage(1101, LogLevel.Information, "Job {JobId} rejected on shard {ShardIndex}: {Reason}")]
    public static partial void JobRejected(ILogger logger, string jobId, int shardIndex, string reason);

    [LoggerMessage(1110, LogLevel.Information,
        "Worker {WorkerId} ({WorkerName}) joined job {JobId} on shard {ShardIndex} at version {Version}, next step {NextStep}")]
    public static partial void WorkerJoined(ILogger logger, string jobId, int shardIndex, uint workerId, string workerName,
        long nextStep, long version);

    [LoggerMessage(1111, LogLevel.Information,
        "Worker {WorkerId} left job {JobId} on shard {ShardIndex} at version {Version}")]
    public static partial void WorkerLeft(ILogger logger, string jobId, int shardIndex, uint workerId, long version);

    [LoggerMessage(1112, LogLevel.Warning,
        "Worker {WorkerId} evicted from job {JobId} on shard {ShardIndex} at version {Version}: {Reason}")]
    public static partial void WorkerEvicted(ILogger logger, string jobId, int shardIndex, uint workerId, string reason,
        long version);

    [LoggerMessage(1120, LogLevel.Information,
        "Push rejected for job {JobId} on shard {ShardIndex} ({Reason}): {Detail}")]
    public static partial void PushRejected(ILogger logger, string jobId, int shardIndex, string reason, string detail);

    [LoggerMessage(1121, LogLevel.Debug,
        "Retried push of worker {WorkerId} step {WorkerStep} for job {JobId} on shard {ShardIndex} deduplicated")]
    public static partial void PushDeduplicated(ILogger logger, string jobId, int shardIndex, uint workerId,
        long workerStep);

    [LoggerMessage(1130, LogLevel.Information,
        "Learning rate override of job {JobId} on shard {ShardIndex} set to {LearningRate} (NaN clears) at version {Version}")]
    public static partial void LearningRateSet(ILogger logger, string jobId, int shardIndex, double learningRate,
        long version);

    [LoggerMessage(1131, LogLevel.Information,
        "Plateau reduced the learning rate of job {JobId} on shard {ShardIndex} to {LearningRate} at version {Version}")]
    public static partial void PlateauReduced(ILogger logger, string jobId, int shardIndex, double learningRate,
        long version);

    [LoggerMessage(1140, LogLevel.Error, "Eviction sweep failed for job {JobId} on shard {ShardIndex}")]
    public static partial void SweepFailed(ILogger logger, Exception error, string jobId, int shardIndex);
}
