using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ParamServer.Server.Security;

/// <summary>
/// Ends unary, client-streaming and duplex calls that run longer than <see cref="ShardSecurityOptions.MaxCallSeconds"/>
/// with DeadlineExceeded, whatever deadline the client sent, so that a client without a deadline cannot hold a
/// handler forever. The handler gets the earlier deadline and a cancellation token that fires at it. A handler that
/// ignores the token is abandoned, and the call still ends on time. Server-streaming calls are left alone.
/// </summary>
internal sealed class CallDurationInterceptor : Interceptor
{
    private readonly TimeSpan _maxDuration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CallDurationInterceptor> _logger;

    public CallDurationInterceptor(
        IOptions<ShardSecurityOptions> options,
        TimeProvider timeProvider,
        ILogger<CallDurationInterceptor> logger)
    {
        var seconds = options.Value.MaxCallSeconds;
        _maxDuration = seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunLimitedAsync(context, limited => continuation(request, limited));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunLimitedAsync(context, limited => continuation(requestStream, limited));

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        await RunLimitedAsync(context, async limited =>
        {
            await continuation(requestStream, responseStream, limited).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private async Task<T> RunLimitedAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
    {
        if (_maxDuration == Timeout.InfiniteTimeSpan)
        {
            return await handler(context).ConfigureAwait(false);
        }

        var limit = _timeProvider.GetUtcNow().UtcDateTime + _maxDuration;
        if (context.Deadline <= limit)
        {
            // The client's own deadline comes first, and grpc-dotnet already enforces it.
            return await handler(context).ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(_maxDuration, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token);
        var limited = new LimitedServerCallContext(context, limit, linked.Token);
        try
        {
            return await handler(limited).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            SecurityLog.CallDurationExceeded(_logger, context.Method, context.Peer, _maxDuration.TotalSeconds);
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"{context.Method} ran longer than the shard's maximum call duration of {_maxDuration.TotalSeconds} s "
                + "(Shard:MaxCallSeconds); retry, or split the work into shorter calls."));
        }
    }
}
