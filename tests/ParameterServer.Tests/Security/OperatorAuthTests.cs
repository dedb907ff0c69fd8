using Grpc.Core;
using Grpc.Net.Client;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class OperatorAuthTests
{
    private const string Token = "s3cret-operator-token";

    private static readonly Dictionary<string, string?> TokenSettings = new() { ["Shard:AuthToken"] = Token };

    [Fact]
    public async Task Checkpoint_NoToken_Unauthenticated()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckpointAsync(client));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("/paramserver.v1.ShardOperator/Checkpoint", error.Status.Detail);
        Assert.Equal(0, host.Operator.CheckpointCalls);
    }

    [Fact]
    public async Task Checkpoint_WrongToken_PermissionDeniedAndTokenNotLogged()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var factory = new ShardChannelFactory(new WorkerTlsOptions(), "wrong-token-value");
        using var channel = factory.CreateChannel(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckpointAsync(client));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(0, host.Operator.CheckpointCalls);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4003 && entry.Message.Contains("PermissionDenied"));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("wrong-token-value"));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains(Token));
        Assert.DoesNotContain("wrong-token-value", error.Status.Detail);
    }

    [Fact]
    public async Task Checkpoint_NonBearerScheme_Unauthenticated()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);
        var headers = new Metadata { { "authorization", $"Basic {Token}" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckpointAsync(
            new CheckpointRequest { JobId = "mnist" }, headers, DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Checkpoint_RightToken_Applied()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var factory = new ShardChannelFactory(new WorkerTlsOptions(), Token);
        using var channel = factory.CreateChannel(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var reply = await CheckpointAsync(client);

        Assert.Equal("/ckpt/mnist", reply.Path);
        Assert.Equal(1, host.Operator.CheckpointCalls);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains(Token));
    }

    [Fact]
    public async Task StateChangingCalls_NoToken_AllUnauthenticated()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);
        var deadline = DateTime.UtcNow + SecureTestHost.Timeout;

        var calls = new Func<Task>[]
        {
            () => client.SetLearningRateAsync(new SetLearningRateRequest { JobId = "mnist", LearningRate = 0.1 },
                deadline: deadline).ResponseAsync,
            () => client.EvictWorkerAsync(new EvictWorkerRequest { JobId = "mnist", WorkerId = 3 },
                deadline: deadline).ResponseAsync,
            () => client.ShutdownAsync(new ShutdownRequest(), deadline: deadline).ResponseAsync,
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
    }

    [Fact]
    public async Task GetStatus_NoToken_Allowed()
    {
        await using var host = await SecureTestHost.StartAsync(TokenSettings);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var status = await client.GetStatusAsync(new StatusRequest(),
            deadline: DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync;

        Assert.Equal("test", status.ServerVersion);
    }

    [Fact]
    public async Task Checkpoint_NoTokenConfigured_Allowed()
    {
        await using var host = await SecureTestHost.StartAsync(new Dictionary<string, string?>());
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var reply = await CheckpointAsync(client);

        Assert.Equal(7, reply.Version);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4005);
    }

    private static Task<CheckpointResponse> CheckpointAsync(ShardOperator.ShardOperatorClient client) =>
        client.CheckpointAsync(new CheckpointRequest { JobId = "mnist" },
            deadline: DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync;
}
