using Grpc.Core;
using Grpc.Net.Client;
using ParamServer.Protocol.V1;
using ParamServer.Server.Tests.Infrastructure;
using ParamServer.Worker.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class OperatorAuthTests
{
    private const string Token = "s3cret-operator-token";
    private const string JobId = "auth-job";

    [Fact]
    public async Task SetLearningRate_NoToken_Unauthenticated()
    {
        await using var host = await StartWithJobAsync(Token);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => SetLearningRateAsync(client, 0.25));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("/paramserver.v1.ShardOperator/SetLearningRate", error.Status.Detail);
        Assert.False((await StatusAsync(client)).LearningRateOverridden);
    }

    [Fact]
    public async Task SetLearningRate_WrongToken_PermissionDenied()
    {
        await using var host = await StartWithJobAsync(Token);
        using var factory = new ShardChannelFactory(new WorkerTlsOptions(), "wrong-token-value");
        using var channel = factory.CreateChannel(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => SetLearningRateAsync(client, 0.25));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.DoesNotContain("wrong-token-value", error.Status.Detail);
        Assert.False((await StatusAsync(client)).LearningRateOverridden);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4003 && entry.Message.Contains("PermissionDenied"));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("wrong-token-value"));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains(Token));
    }

    [Fact]
    public async Task SetLearningRate_RightToken_Applied()
    {
        await using var host = await StartWithJobAsync(Token);
        using var factory = new ShardChannelFactory(new WorkerTlsOptions(), Token);
        using var channel = factory.CreateChannel(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var reply = await SetLearningRateAsync(client, 0.25);

        var status = await StatusAsync(client);
        Assert.Equal(0.25, reply.LearningRate);
        Assert.True(status.LearningRateOverridden);
        Assert.Equal(0.25, status.LearningRate);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains(Token));
    }

    [Fact]
    public async Task SetLearningRate_NonBearerScheme_Unauthenticated()
    {
        await using var host = await StartWithJobAsync(Token);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);
        var headers = new Metadata { { "authorization", $"Basic {Token}" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SetLearningRateAsync(
            new SetLearningRateRequest { JobId = JobId, LearningRate = 0.25 }, headers, ShardClient.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task StateChangingCalls_NoToken_Unauthenticated()
    {
        await using var host = await StartWithJobAsync(Token);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var calls = new Func<Task>[]
        {
            () => client.CheckpointAsync(new CheckpointRequest { JobId = JobId }, deadline: ShardClient.Deadline).ResponseAsync,
            () => client.EvictWorkerAsync(new EvictWorkerRequest { JobId = JobId, WorkerId = 1 },
                deadline: ShardClient.Deadline).ResponseAsync,
            () => client.ShutdownAsync(new ShutdownRequest(), deadline: ShardClient.Deadline).ResponseAsync,
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        Assert.Equal(JobId, (await StatusAsync(client)).JobId);
    }

    [Fact]
    public async Task GetStatus_NoToken_Allowed()
    {
        await using var host = await StartWithJobAsync(Token);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var status = await StatusAsync(client);

        Assert.Equal(JobId, status.JobId);
    }

    [Fact]
    public async Task SetLearningRate_NoTokenConfigured_Applied()
    {
        await using var host = await StartWithJobAsync(token: null);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        await SetLearningRateAsync(client, 0.5);

        Assert.True((await StatusAsync(client)).LearningRateOverridden);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4005);
    }

    private static async Task<SecureTestHost> StartWithJobAsync(string? token)
    {
        var host = await SecureTestHost.StartAsync(options => options.AuthToken = token);
        using var client = new ShardClient(host.Shard.Address);
        await client.CreateJobAsync(TestJobs.Flat(JobId, parameters: 4, learningRate: 0.1));
        return host;
    }

    private static Task<SetLearningRateResponse> SetLearningRateAsync(
        ShardOperator.ShardOperatorClient client,
        double learningRate) =>
        client.SetLearningRateAsync(new SetLearningRateRequest { JobId = JobId, LearningRate = learningRate },
            deadline: ShardClient.Deadline).ResponseAsync;

    private static async Task<JobStatus> StatusAsync(ShardOperator.ShardOperatorClient client) =>
        (await client.GetStatusAsync(new StatusRequest { JobId = JobId }, deadline: ShardClient.Deadline)).Jobs.Single();
}
