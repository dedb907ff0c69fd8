namespace ParamServer.Server.Security;

/// <summary>
/// Authentication, transport security and server limits of a shard, bound from the <c>Shard</c> configuration
/// section (environment variables <c>Shard__AuthToken</c>, <c>Shard__Tls__CertificatePath</c>, ...).
/// </summary>
public sealed class ShardSecurityOptions
{
    /// <summary>Configuration section the options bind to.</summary>
    public const string SectionName = "Shard";

    /// <summary>
    /// Bearer token that the state-changing operator calls (Checkpoint, SetLearningRate, EvictWorker, Shutdown) must
    /// send as <c>authorization: Bearer TOKEN</c>. Default: none, so those calls are open to every client that can
    /// reach the port.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>TLS and mutual TLS of the gRPC endpoints.</summary>
    public ShardTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Largest gRPC message the shard accepts or sends, in bytes; larger messages fail with ResourceExhausted.
    /// Default 8 MiB. It must exceed the transport chunk size (<c>Shard:ChunkBytes</c>, default 1 MiB) plus the
    /// message framing, because each gradient or weight chunk travels as one message.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Largest number of concurrent HTTP/2 streams (calls) one client connection may open. Default 100, the Kestrel
    /// default. Clients that reach it queue further calls until a stream ends, as HTTP/2 requires.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Longest time in seconds a unary, client-streaming or duplex call may run on the shard, whatever deadline the
    /// client sent; a call past it fails with DeadlineExceeded. Server-streaming calls (Pull, Subscribe, health Watch)
    /// are long-lived by design and bounded only by the client's deadline. Default 300; 0 disables the limit.
    /// </summary>
    public double MaxCallSeconds { get; set; } = 300;

    /// <summary>
    /// TCP port of an extra plain HTTP/2 endpoint that serves only the gRPC health service
    /// (<c>grpc.health.v1.Health</c>), for probes that cannot speak TLS, such as the kubelet's native gRPC probe.
    /// Every other call on it fails with PermissionDenied. Default -1 (no such endpoint); 0 picks a free port.
    /// </summary>
    public int HealthPort { get; set; } = -1;

    /// <summary>IP address of the health endpoint, the same setting as the gRPC endpoint's. Default 0.0.0.0.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";
}
