using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Extension points of the shard's Kestrel set-up, so transport security and metrics plug in without touching the
/// hosting code: <see cref="ConfigureGrpcEndpoint"/> runs on the gRPC listener (for example to call
/// <c>UseHttps</c>), <see cref="ConfigureServer"/> on the server (for example to add the metrics listener).
/// Register them with <c>services.Configure&lt;ShardEndpointOptions&gt;(...)</c>.
/// </summary>
public sealed class ShardEndpointOptions
{
    /// <summary>Callbacks applied, in order, to the gRPC listener after its protocols are set to HTTP/2.</summary>
    public List<Action<ListenOptions, ShardOptions>> ConfigureGrpcEndpoint { get; } = [];

    /// <summary>Callbacks applied, in order, to Kestrel after the gRPC listener is added.</summary>
    public List<Action<KestrelServerOptions, ShardOptions>> ConfigureServer { get; } = [];
}
