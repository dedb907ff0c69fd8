namespace ParamServer.Server.Metrics;

/// <summary>Where a shard serves Prometheus metrics, bound from the <c>Shard</c> configuration section.</summary>
public sealed class ShardMetricsOptions
{
    /// <summary>Configuration section the options bind to.</summary>
    public const string SectionName = "Shard";

    /// <summary>Default <see cref="MetricsPort"/>, the port registered for the OpenTelemetry Prometheus exporter.</summary>
    public const int DefaultMetricsPort = 9464;

    /// <summary>
    /// TCP port of the plain HTTP/1.1 metrics endpoint (<c>/metrics</c>, <c>/healthz</c>). Default 9464; 0 picks a
    /// free port; -1 disables the endpoint.
    /// </summary>
    public int MetricsPort { get; set; } = DefaultMetricsPort;

    /// <summary>IP address the metrics endpoint listens on, the same as the gRPC endpoint's. Default 0.0.0.0.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";
}
