using Grpc.Core;

namespace ParamServer.Server.Security;

/// <summary>
/// A <see cref="ServerCallContext"/> that forwards everything to the real context except the deadline and the
/// cancellation token, which also end at the shard's maximum call duration.
/// </summary>
internal sealed class LimitedServerCallContext : ServerCallContext
{
    // grpc-dotnet's GetHttpContext() reads this user-state key for call contexts it did not create itself.
    private const string HttpContextKey = "__HttpContext";

    private readonly ServerCallContext _inner;
    private readonly DateTime _deadline;
    private readonly CancellationToken _cancellationToken;

    public LimitedServerCallContext(ServerCallContext inner, DateTime deadline, CancellationToken cancellationToken)
    {
        _inner = inner;
        _deadline = deadline;
        _cancellationToken = cancellationToken;
        inner.UserState.TryAdd(HttpContextKey, inner.GetHttpContext());
    }

    protected override string MethodCore => _inner.Method;

    protected override string HostCore => _inner.Host;

    protected override string PeerCore => _inner.Peer;

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore => _inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => _inner.Status;
        set => _inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _inner.WriteOptions;
        set => _inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => _inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => _inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        _inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) =>
        _inner.WriteResponseHeadersAsync(responseHeaders);
}
