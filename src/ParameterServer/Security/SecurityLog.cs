using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ParamServer.Server.Security;

/// <summary>Log messages of the shard's transport security, authentication and limits (event ids 4000-4099).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information,
        Message = "gRPC endpoints serve TLS with certificate {Subject} (thumbprint {Thumbprint}); "
            + "mutual TLS {MutualTls}")]
    public static partial void TlsEnabled(ILogger logger, string subject, string thumbprint, bool mutualTls);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "gRPC endpoints serve plain HTTP/2 without TLS; run this way only on a trusted network")]
    public static partial void TlsDisabled(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Rejected client certificate {Subject} (thumbprint {Thumbprint}) from {Remote}: {Reason}")]
    public static partial void ClientCertificateRejected(
        ILogger logger, string subject, string thumbprint, string? remote, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Operator call {Method} from {Peer} rejected with {Code}: {Reason}")]
    public static partial void OperatorCallRejected(
        ILogger logger, string method, string peer, StatusCode code, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug,
        Message = "Operator call {Method} from {Peer} authenticated")]
    public static partial void OperatorCallAuthenticated(ILogger logger, string method, string peer);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning,
        Message = "Operator calls that change state are not authenticated, because Shard:AuthToken is not set")]
    public static partial void AuthTokenMissing(ILogger logger);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information,
        Message = "Call {Method} from {Peer} exceeded the maximum call duration of {MaxSeconds} s and was ended")]
    public static partial void CallDurationExceeded(ILogger logger, string method, string peer, double maxSeconds);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information,
        Message = "Shard limits: max message {MaxMessageBytes} bytes, max {MaxStreams} streams per connection, "
            + "max call duration {MaxCallSeconds} s (0 = unlimited), operator token required {TokenRequired}")]
    public static partial void LimitsConfigured(
        ILogger logger, int maxMessageBytes, int maxStreams, double maxCallSeconds, bool tokenRequired);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information,
        Message = "Call {Method} from {Peer} on the health-only endpoint rejected")]
    public static partial void HealthEndpointCallRejected(ILogger logger, string method, string peer);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information,
        Message = "Health-only endpoint (plain HTTP/2, grpc.health.v1.Health only) declared on {Address}:{Port}")]
    public static partial void HealthEndpointDeclared(ILogger logger, string address, int port);
}
