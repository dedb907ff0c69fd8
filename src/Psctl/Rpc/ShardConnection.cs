using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Rpc;

/// <summary>
/// One gRPC channel to a shard with its data-plane, operator and health clients. Every call made through
/// <see cref="CallOptions"/> carries the call deadline and, when a token is set, an "authorization: Bearer"
/// header, which the shards check on operator calls that change state.
/// </summary>
public sealed class ShardConnection : IDisposable
{
    /// <summary>Health service name a shard reports for its data plane.</summary>
    public const string HealthServiceName = "paramserver.v1.ParameterShard";

    private readonly GrpcChannel _channel;
    private readonly string? _token;

    public ShardConnection(Uri endpoint, string? token, TimeSpan callTimeout)
    {
        Endpoint = endpoint;
        _token = token;
        CallTimeout = callTimeout;
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
        });
        Shard = new ParameterShard.ParameterShardClient(_channel);
        Operator = new ShardOperator.ShardOperatorClient(_channel);
        Health = new Health.HealthClient(_channel);
    }

    public Uri Endpoint { get; }

    public TimeSpan CallTimeout { get; }

    public ParameterShard.ParameterShardClient Shard { get; }

    public ShardOperator.ShardOperatorClient Operator { get; }

    public Health.HealthClient Health { get; }

    /// <summary>Call options with the deadline <see cref="CallTimeout"/> from now and the bearer token, if any.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        Metadata? headers = null;
        if (!string.IsNullOrEmpty(_token))
        {
            headers = new Metadata { { "authorization", "Bearer " + _token } };
        }

        return new CallOptions(headers, DateTime.UtcNow + (timeout ?? CallTimeout), cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
