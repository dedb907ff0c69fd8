using Microsoft.Extensions.Logging;

namespace ParamServer.Metrics;

/// <summary>Log messages of the Prometheus endpoint (event ids 4100-4119).</summary>
/// <remarks>This file is compiled into both the shard and the worker.</remarks>
internal static partial class PrometheusEndpointLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Prometheus metrics served at {Address}metrics")]
    public static partial void Started(ILogger logger, Uri address);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Prometheus endpoint at {Address} stopped")]
    public static partial void Stopped(ILogger logger, Uri address);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information,
        Message = "Prometheus endpoint disabled, because the metrics port is negative")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error,
        Message = "Prometheus endpoint could not listen on {Address}:{Port}")]
    public static partial void StartFailed(ILogger logger, Exception exception, string address, int port);
}
