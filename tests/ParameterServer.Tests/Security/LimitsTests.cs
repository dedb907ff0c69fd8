using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Tests.Security;

public sealed class LimitsTests
{
    private const int MaxMessageBytes = 2 * 1024 * 1024;

    [Fact]
    public async Task Message_OverMaxMessageBytes_ResourceExhausted()
    {
        await using var host = await SecureTestHost.StartAsync(
            new Dictionary<string, string?> { ["Shard:MaxMessageBytes"] = MaxMessageBytes.ToString() });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);
        var oversized = new CheckpointRequest { JobId = new string('j', MaxMessageBytes + 1) };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckpointAsync(oversized,
            deadline: DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, host.Operator.CheckpointCalls);
    }

    [Fact]
    public async Task Message_JustUnderMaxMessageBytes_Accepted()
    {
        await using var host = await SecureTestHost.StartAsync(
            new Dictionary<string, string?> { ["Shard:MaxMessageBytes"] = MaxMessageBytes.ToString() });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        // Tag (1 byte) and length (3 bytes) plus the string fill the limit exactly.
        var reply = await client.CheckpointAsync(new CheckpointRequest { JobId = new string('j', MaxMessageBytes - 4) },
            deadline: DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync;

        Assert.Equal(7, reply.Version);
    }

    [Fact]
    public async Task Call_PastMaxCallSeconds_DeadlineExceeded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SecureTestHost.StartAsync(
            new Dictionary<string, string?> { ["Shard:MaxCallSeconds"] = "60" }, time);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        var call = client.GetStatusAsync(new StatusRequest { JobId = FakeOperatorService.BlockingJob });
        await host.Operator.BlockingCallEntered.Task.WaitAsync(SecureTestHost.Timeout);
        time.Advance(TimeSpan.FromSeconds(61));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(SecureTestHost.Timeout));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("Shard:MaxCallSeconds", error.Status.Detail);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4006);
    }

    [Fact]
    public async Task Call_BeforeMaxCallSeconds_Completes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SecureTestHost.StartAsync(
            new Dictionary<string, string?> { ["Shard:MaxCallSeconds"] = "60" }, time);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new ShardOperator.ShardOperatorClient(channel);

        time.Advance(TimeSpan.FromSeconds(59));
        var status = await client.GetStatusAsync(new StatusRequest()).ResponseAsync.WaitAsync(SecureTestHost.Timeout);

        Assert.Equal(1, status.NumShards);
    }

    [Fact]
    public async Task Streams_AtMaxStreamsPerConnection_QueueUntilOneEnds()
    {
        await using var host = await SecureTestHost.StartAsync(
            new Dictionary<string, string?> { ["Shard:MaxStreamsPerConnection"] = "1" });
        var kestrel = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(1, kestrel.Limits.Http2.MaxStreamsPerConnection);

        // One connection only: grpc-dotnet's default handler would open a second connection at the stream limit.
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var health = new Health.HealthClient(channel);
        var request = new HealthCheckRequest { Service = "paramserver.v1.ParameterShard" };

        using var watchCancellation = new CancellationTokenSource();
        using var watch = health.Watch(request, cancellationToken: watchCancellation.Token);
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(SecureTestHost.Timeout));

        // The only stream the connection may open is taken, so a second call cannot start before its deadline.
        var blocked = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(request,
            deadline: DateTime.UtcNow + TimeSpan.FromMilliseconds(300)).ResponseAsync.WaitAsync(SecureTestHost.Timeout));
        Assert.Equal(StatusCode.DeadlineExceeded, blocked.StatusCode);

        watchCancellation.Cancel();
        var reply = await health.CheckAsync(request, deadline: DateTime.UtcNow + SecureTestHost.Timeout).ResponseAsync;
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
