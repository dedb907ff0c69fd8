using ParamServer.Server.Hosting;

namespace ParamServer.Server.Security;

/// <summary>
/// Server limits of a shard, bound from the <c>Shard</c> configuration section (environment variables
/// <c>Shard__MaxMessageBytes</c>, ...). The operator token and the TLS files are <see cref="ShardOptions.AuthToken"/>
/// and <see cref="ShardOptions.Tls"/>.
/// </summary>
public sealed class ShardSecurityOptions
{
    /// <summary>Configuration section the options bind to.</summary>
    public const string SectionName = ShardOptions.SectionName;

    /// <summary>
    /// Largest gRPC message the shard accepts or sends, in bytes; a larger message fails with ResourceExhausted.
    /// Default <see cref="ShardHostingExtensions.MaxMessageBytes"/> (4 MiB plus 64 KiB of framing). It must exceed
    /// <see cref="ShardOptions.ChunkBytes"/> by at least 64 KiB, because each gradient or weight chunk travels as one
    /// message.
    /// </summary>
    public int MaxMessageBytes { get; set; } = ShardHostingExtensions.MaxMessageBytes;

    /// <summary>
    /// Largest number of concurrent HTTP/2 streams (calls) one client connection may open. Default 100, the Kestrel
    /// default. A client at the limit queues further calls until a stream ends, or opens another connection.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Maximum time in seconds a unary, client-streaming or duplex call may run on the shard, whatever deadline the
    /// client sent; a call past it fails with DeadlineExceeded. Server-streaming calls (Pull, Subscribe, health Watch)
    /// are long-lived by design and bounded only by the client's deadline. Default 300; 0 disables the limit.
    /// </summary>
    public double MaxCallSeconds { get; set; } = 300;

    /// <summary>
    /// TCP port of an extra plain HTTP/2 endpoint on <see cref="ShardOptions.ListenAddress"/> that serves only the gRPC
    /// health service (<c>grpc.health.v1.Health</c>), for probes that cannot speak TLS, such as the kubelet's native
    /// gRPC probe. Every other call on it fails with PermissionDenied. Default -1 (no such endpoint); 0 picks a free
    /// port.
    /// </summary>
    public int HealthPort { get; set; } = -1;
}
