using Microsoft.Extensions.Logging;

namespace ParamServer.Worker.Hosting;

/// <summary>Log messages of the worker host, event ids 5700-5799.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(5700, LogLevel.Information,
        "Worker starting: job {JobId}, name {Name}, evaluator {Evaluator}, accelerator {Accelerator}, shards " +
            "{Shards}, " +
        "chunk {ChunkBytes} bytes, call timeout {CallTimeoutSeconds} s, step timeout {StepTimeoutSeconds} s, " +
        "max retries {MaxRetries}, auth token {AuthTokenSet}")]
    public static partial void Starting(
        ILogger logger,
        string jobId,
        string name,
        bool evaluator,
        string accelerator,
        string shards,
        int chunkBytes,
        double callTimeoutSeconds,
        double stepTimeoutSeconds,
        int maxRetries,
        string authTokenSet);

    [LoggerMessage(5701, LogLevel.Information, "Worker finished job {JobId} ({Reason}); exit code {ExitCode}")]
    public static partial void Finished(ILogger logger, string jobId, string reason, int exitCode);

    [LoggerMessage(5702, LogLevel.Error, "Worker failed in job {JobId}; exit code {ExitCode}")]
    public static partial void Failed(ILogger logger, string jobId, int exitCode, Exception exception);
}
