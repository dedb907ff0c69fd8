using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace ParamServer.Server.Security;

/// <summary>
/// Rejects every call except the gRPC health service on connections of the plain-text health endpoint, so that
/// opening that endpoint for probes does not expose the data plane or the operator service without TLS.
/// </summary>
internal sealed class HealthOnlyInterceptor : Interceptor
{
    private readonly ILogger<HealthOnlyInterceptor> _logger;

    public HealthOnlyInterceptor(ILogger<HealthOnlyInterceptor> logger) => _logger = logger;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (context.Method.StartsWith(HealthOnlyEndpoint.HealthServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var items = context.GetHttpContext().Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.ContainsKey(HealthOnlyEndpoint.ConnectionItemKey))
        {
            SecurityLog.HealthEndpointCallRejected(_logger, context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{context.Method} is not served on the health endpoint (Shard:HealthPort), which serves only "
                + "grpc.health.v1.Health; call the gRPC port (Shard:Port) instead."));
        }
    }
}
