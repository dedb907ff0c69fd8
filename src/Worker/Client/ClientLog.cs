using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ParamServer.Worker.Client;

/// <summary>Log messages of the shard clients, event ids 5100-5199.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(5100, LogLevel.Information, "Connecting to shard {Shard} at {Endpoint}")]
    public static partial void Connecting(ILogger logger, int shard, Uri endpoint);

    [LoggerMessage(5101, LogLevel.Warning,
        "Retrying {Operation} on shard {Shard} at step {Step}: attempt {Attempt} failed with {StatusCode}, next in " +
            "{DelayMs} ms")]
    public static partial void Retrying(
        ILogger logger,
        string operation,
        int shard,
        long step,
        int attempt,
        StatusCode statusCode,
        double delayMs,
        Exception? exception);

    [LoggerMessage(5102, LogLevel.Warning,
        "Circuit breaker of shard {Shard} opened at step {Step} for {BreakMs} ms after {Operation} failed")]
    public static partial void BreakerOpened(
        ILogger logger, int shard, long step, double breakMs, string operation, Exception? exception);

    [LoggerMessage(5103, LogLevel.Information, "Circuit breaker of shard {Shard} half-open at step {Step}: trying " +
        "{Operation}")]
    public static partial void BreakerHalfOpened(ILogger logger, int shard, long step, string operation);

    [LoggerMessage(5104, LogLevel.Information, "Circuit breaker of shard {Shard} closed at step {Step} after " +
        "{Operation} succeeded")]
    public static partial void BreakerClosed(ILogger logger, int shard, long step, string operation);

    [LoggerMessage(5105, LogLevel.Warning, "Heartbeat of worker {WorkerId} in job {JobId} to shard {Shard} failed " +
        "at step {Step}")]
    public static partial void HeartbeatFailed(
        ILogger logger, uint workerId, string jobId, int shard, long step, Exception exception);

    [LoggerMessage(5106, LogLevel.Information,
        "Heartbeat of worker {WorkerId} in job {JobId} to shard {Shard} succeeds again at step {Step}")]
    public static partial void HeartbeatRecovered(ILogger logger, uint workerId, string jobId, int shard, long step);

    [LoggerMessage(5107, LogLevel.Information, "Resolved {Name} to {Count} addresses: {Addresses}")]
    public static partial void DnsResolved(ILogger logger, string name, int count, string addresses);

    [LoggerMessage(5108, LogLevel.Warning, "Shard discovery through {Name} is incomplete: {Reason}; trying again " +
        "in {DelayMs} ms")]
    public static partial void DiscoveryIncomplete(ILogger logger, string name, string reason, double delayMs);

    [LoggerMessage(5109, LogLevel.Information, "Discovered {Count} shards: {Endpoints}")]
    public static partial void Discovered(ILogger logger, int count, string endpoints);

    [LoggerMessage(5110, LogLevel.Warning, "Shard at {Endpoint} reports index {Reported} of {Count}; expected " +
        "index {Expected}")]
    public static partial void IndexMismatch(ILogger logger, Uri endpoint, int reported, int count, int expected);

    [LoggerMessage(5111, LogLevel.Debug, "Shard at {Endpoint} does not serve the operator service; its index is " +
        "not checked")]
    public static partial void StatusUnavailable(ILogger logger, Uri endpoint);

    [LoggerMessage(5120, LogLevel.Information,
        "Registered worker {WorkerId} ({Name}) in job {JobId} with shard {Shard}: range [{RangeStart}, " +
            "+{RangeLength}), version {Version}, next step {NextStep}")]
    public static partial void Registered(
        ILogger logger,
        uint workerId,
        string name,
        string jobId,
        int shard,
        long rangeStart,
        long rangeLength,
        long version,
        long nextStep);

    [LoggerMessage(5121, LogLevel.Warning, "Shard {Shard} has no job {JobId}; creating it from this worker's copy " +
        "of the job spec")]
    public static partial void CreatingJob(ILogger logger, int shard, string jobId);

    [LoggerMessage(5122, LogLevel.Warning,
        "Shard {Shard} has no registration of worker {WorkerId} in job {JobId} at step {Step} ({StatusCode}); " +
            "registering again")]
    public static partial void MembershipLost(
        ILogger logger, int shard, uint workerId, string jobId, long step, StatusCode statusCode, Exception exception);

    [LoggerMessage(5123, LogLevel.Information,
        "Coordinator assigned worker id {WorkerId} in job {JobId}, replacing {PreviousWorkerId}")]
    public static partial void WorkerIdChanged(ILogger logger, uint workerId, string jobId, uint previousWorkerId);

    [LoggerMessage(5124, LogLevel.Information, "Deregistered worker {WorkerId} from job {JobId} on shard {Shard}")]
    public static partial void Deregistered(ILogger logger, uint workerId, string jobId, int shard);

    [LoggerMessage(5125, LogLevel.Warning, "Deregistering worker {WorkerId} from job {JobId} on shard {Shard} failed")]
    public static partial void DeregisterFailed(ILogger logger, uint workerId, string jobId, int shard, Exception exception);

    [LoggerMessage(5126, LogLevel.Information,
        "Pulled weights of job {JobId} from shard {Shard}: version {Version}, {Length} elements")]
    public static partial void Pulled(ILogger logger, string jobId, int shard, long version, long length);
}
