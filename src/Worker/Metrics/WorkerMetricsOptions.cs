namespace ParamServer.Worker.Metrics;

/// <summary>Where a worker serves Prometheus metrics, bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerMetricsOptions
{
    /// <summary>Configuration section the options bind to.</summary>
    public const string SectionName = "Worker";

    /// <summary>Default <see cref="MetricsPort"/>; one above the shard's 9464, so both can run on one host.</summary>
    public const int DefaultMetricsPort = 9465;

    /// <summary>
    /// TCP port of the plain HTTP/1.1 metrics endpoint (<c>/metrics</c>, <c>/healthz</c>). Default 9465; 0 picks a
    /// free port; -1 disables the endpoint.
    /// </summary>
    public int MetricsPort { get; set; } = DefaultMetricsPort;

    /// <summary>IP address the metrics endpoint listens on. Default 0.0.0.0.</summary>
    public string MetricsListenAddress { get; set; } = "0.0.0.0";
}
