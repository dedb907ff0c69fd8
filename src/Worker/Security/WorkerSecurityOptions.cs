namespace ParamServer.Worker.Security;

/// <summary>
/// Transport security of a worker's shard channels, bound from the <c>Worker</c> configuration section
/// (environment variables <c>Worker__AuthToken</c>, <c>Worker__Tls__CaPath</c>, ...).
/// </summary>
public sealed class WorkerSecurityOptions
{
    /// <summary>Configuration section the options bind to.</summary>
    public const string SectionName = "Worker";

    /// <summary>Bearer token sent on every shard call. Default: none.</summary>
    public string? AuthToken { get; set; }

    /// <summary>CA bundle and client certificate for <c>https://</c> shard endpoints.</summary>
    public WorkerTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Largest gRPC message the worker sends or accepts, in bytes. Default 8 MiB, the shard's default limit.
    /// </summary>
    public int MaxMessageBytes { get; set; } = ShardChannelFactory.DefaultMaxMessageBytes;
}
