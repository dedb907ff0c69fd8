using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;

namespace ParamServer.Server.Checkpoints;

/// <summary>Log messages of the checkpoint store and service; event ids 3000-3999.</summary>
internal static partial class CheckpointLog
{
    [LoggerMessage(3000, LogLevel.Information,
        "Checkpoint of job {JobId} shard {ShardIndex} at version {Version} written to {Path} ({Bytes} bytes, {ElapsedMs} ms, reason {Reason})")]
    public static partial void CheckpointWritten(
        this ILogger logger, string jobId, int shardIndex, long version, string path, long bytes, long elapsedMs,
        CheckpointReason reason);

    [LoggerMessage(3001, LogLevel.Error, "Checkpoint of job {JobId} shard {ShardIndex} failed (reason {Reason})")]
    public static partial void CheckpointFailed(
        this ILogger logger, string jobId, int shardIndex, CheckpointReason reason, Exception exception);

    [LoggerMessage(3002, LogLevel.Error,
        "Skipped checkpoint {Path} of shard {ShardIndex} ({Error}): {Message}; moved it to {QuarantinePath}")]
    public static partial void CheckpointRejected(
        this ILogger logger, string path, int shardIndex, CheckpointError error, string message, string quarantinePath);

    [LoggerMessage(3003, LogLevel.Information,
        "Restored job {JobId} on shard {ShardIndex} at version {Version} from {Path}")]
    public static partial void CheckpointRestored(this ILogger logger, string jobId, int shardIndex, long version, string path);

    [LoggerMessage(3004, LogLevel.Information,
        "No checkpoint to restore for shard {ShardIndex} of {ShardCount} under {Directory}")]
    public static partial void NothingToRestore(this ILogger logger, int shardIndex, int shardCount, string directory);

    [LoggerMessage(3005, LogLevel.Debug, "Deleted old checkpoint {Path} (keeping {Keep})")]
    public static partial void CheckpointDeleted(this ILogger logger, string path, int keep);

    [LoggerMessage(3006, LogLevel.Warning, "Removed {Path}, left over from a checkpoint write that did not finish")]
    public static partial void TemporaryFileRemoved(this ILogger logger, string path);

    [LoggerMessage(3007, LogLevel.Information,
        "Checkpoints of shard {ShardIndex} go to {Directory}: every {EverySteps} steps, every {EverySeconds} s, keeping {Keep}")]
    public static partial void PolicyStarted(
        this ILogger logger, int shardIndex, string directory, long everySteps, double everySeconds, int keep);

    [LoggerMessage(3008, LogLevel.Information,
        "Checkpoints are off on shard {ShardIndex}: Shard:CheckpointDirectory is not set")]
    public static partial void CheckpointsDisabled(this ILogger logger, int shardIndex);

    [LoggerMessage(3009, LogLevel.Information, "Writing a shutdown checkpoint of {JobCount} jobs on shard {ShardIndex}")]
    public static partial void ShutdownCheckpointStarting(this ILogger logger, int jobCount, int shardIndex);

    [LoggerMessage(3010, LogLevel.Debug,
        "Interval checkpoint of job {JobId} skipped: version {Version} is already checkpointed")]
    public static partial void CheckpointUnchanged(this ILogger logger, string jobId, long version);

    [LoggerMessage(3011, LogLevel.Warning, "Deleting old checkpoint {Path} failed")]
    public static partial void DeleteFailed(this ILogger logger, string path, Exception exception);

    [LoggerMessage(3012, LogLevel.Error, "Restoring job {JobId} on shard {ShardIndex} from {Path} failed")]
    public static partial void RestoreFailed(this ILogger logger, string jobId, int shardIndex, string path, Exception exception);

    [LoggerMessage(3013, LogLevel.Error, "Reading checkpoint {Path} failed")]
    public static partial void ReadFailed(this ILogger logger, string path, Exception exception);

    [LoggerMessage(3014, LogLevel.Information,
        "Job {JobId} on shard {ShardIndex} restored at version {FromVersion} moved to the cluster's step {ToVersion}; "
        + "the updates in between are lost for this shard's range")]
    public static partial void FastForwarded(this ILogger logger, string jobId, int shardIndex, long fromVersion, long toVersion);

    [LoggerMessage(3015, LogLevel.Warning, "Scanning checkpoint directory {Directory} failed")]
    public static partial void ScanFailed(this ILogger logger, string directory, Exception exception);
}
