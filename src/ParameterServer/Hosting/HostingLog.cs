namespace ParamServer.Server.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1000, LogLevel.Information,
        "Shard {ShardIndex} of {ShardCount} starting on {ListenAddress}:{Port}: chunk {ChunkBytes} B, heartbeat " +
        "timeout {HeartbeatTimeoutSeconds} s, max {MaxWorkers} workers, TLS {Tls}, operator token {TokenConfigured}")]
    public static partial void Starting(ILogger logger, int shardIndex, int shardCount, string listenAddress, int port,
        int chunkBytes, double heartbeatTimeoutSeconds, int maxWorkers, bool tls, bool tokenConfigured);

    [LoggerMessage(1001, LogLevel.Information, "Shard {ShardIndex} listening on {Address}")]
    public static partial void Listening(ILogger logger, int shardIndex, string address);

    [LoggerMessage(1002, LogLevel.Information, "Shard {ShardIndex} stopping")]
    public static partial void Stopping(ILogger logger, int shardIndex);

    [LoggerMessage(1003, LogLevel.Information, "Shard {ShardIndex} stopped")]
    public static partial void Stopped(ILogger logger, int shardIndex);

    [LoggerMessage(1004, LogLevel.Information, "Job file {Path} loaded: job {JobId}, created {Created}")]
    public static partial void JobFileLoaded(ILogger logger, string path, string jobId, bool created);

    [LoggerMessage(1005, LogLevel.Information, "Shutdown requested by an operator; checkpoint {Checkpoint}")]
    public static partial void ShutdownRequested(ILogger logger, bool checkpoint);

    [LoggerMessage(1006, LogLevel.Error, "Checkpoint before shutdown failed for job {JobId}")]
    public static partial void ShutdownCheckpointFailed(ILogger logger, Exception error, string jobId);
}
