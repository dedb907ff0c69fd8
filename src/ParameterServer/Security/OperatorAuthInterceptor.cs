using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;
using ParamServer.Server.Metrics;

namespace ParamServer.Server.Security;

/// <summary>
/// Requires the bearer token of <see cref="ShardOptions.AuthToken"/> on the state-changing operator calls
/// listed in <see cref="OperatorMethods.StateChanging"/>. Every other call, and every call when no token is
/// configured, passes through unchanged. All protected calls are unary, so only the unary handler is intercepted.
/// </summary>
internal sealed class OperatorAuthInterceptor : Interceptor
{
    private readonly BearerTokenValidator? _validator;
    private readonly ShardMetrics _metrics;
    private readonly ILogger<OperatorAuthInterceptor> _logger;

    public OperatorAuthInterceptor(
        IOptions<ShardOptions> options,
        ShardMetrics metrics,
        ILogger<OperatorAuthInterceptor> logger)
    {
        var token = options.Value.AuthToken;
        _validator = string.IsNullOrEmpty(token) ? null : new BearerTokenValidator(token);
        _metrics = metrics;
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (_validator is not null && OperatorMethods.StateChanging.Contains(context.Method))
        {
            var code = _validator.Validate(context.RequestHeaders, out var reason);
            if (code != StatusCode.OK)
            {
                SecurityLog.OperatorCallRejected(_logger, context.Method, context.Peer, code, reason);
                _metrics.RecordRejectedCall(context.Method, code);
                var message = code == StatusCode.Unauthenticated
                    ? $"{context.Method} requires 'authorization: Bearer TOKEN' with the shard's operator token; "
                        + $"{reason}."
                    : $"{context.Method} was called with a bearer token that the shard does not accept.";
                throw new RpcException(new Status(code, message));
            }

            SecurityLog.OperatorCallAuthenticated(_logger, context.Method, context.Peer);
        }

        return continuation(request, context);
    }
}
