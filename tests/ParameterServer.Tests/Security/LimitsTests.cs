using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ParamServer.Protocol.V1;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Security;

public sealed class LimitsTests
{
    /// <summary>The smallest limit the validator accepts: a 1 MiB chunk plus 64 KiB of framing.</summary>
    private const int MaxMessageBytes = (1 << 20) + 64 * 1024;

    [Fact]
    public async Task Message_OverMaxMessageBytes_ResourceExhausted()
    {
        await using var host = await SecureTestHost.StartAsync(security: options => options.MaxMessageBytes = MaxMessageBytes);
        using var client = new ShardClient(host.Shard.Address);
        var oversized = new StatusRequest { JobId = new string('j', MaxMessageBytes) };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Operator.GetStatusAsync(oversized,
            deadline: ShardClient.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Message_AtMaxMessageBytes_ReachesService()
    {
        await using var host = await SecureTestHost.StartAsync(security: options => options.MaxMessageBytes = MaxMessageBytes);
        using var client = new ShardClient(host.Shard.Address);
        var health = new Health.HealthClient(client.Channel);

        // A tag byte, a 3-byte length prefix and the name fill the limit exactly. The health service returns
        // NotFound for the unknown name without echoing it.
        var request = new HealthCheckRequest { Service = new string('s', MaxMessageBytes - 4) };
        Assert.Equal(MaxMessageBytes, request.CalculateSize());
        var error = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(request,
            deadline: ShardClient.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task PushPull_PastMaxCallSeconds_DeadlineExceeded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SecureTestHost.StartAsync(
            options => options.HeartbeatTimeoutSeconds = 3600,
            security => security.MaxCallSeconds = 60,
            time);
        using var client = new ShardClient(host.Shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("slow", parameters: 4));
        var first = await client.RegisterAsync("slow", name: "first");
        await client.RegisterAsync("slow", name: "second");

        // The first worker's step waits for the second, which never pushes. The call carries no deadline of its own,
        // as a careless client would send it.
        using var push = client.Shard.PushPull();
        await push.RequestStream.WriteAsync(new PushRequest { Header = TestJobs.Header(first, step: 0, baseVersion: 0) });
        await push.RequestStream.WriteAsync(new PushRequest { GradientChunk = ByteString.CopyFrom(new byte[16]) });
        await push.RequestStream.CompleteAsync();
        await host.Shard.Job("slow").WaitForAcceptedAsync(first.WorkerId, 0);
        time.Advance(TimeSpan.FromSeconds(61));
        var error = await Assert.ThrowsAsync<RpcException>(
            () => push.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("Shard:MaxCallSeconds", error.Status.Detail);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4006);
    }

    [Fact]
    public async Task Call_BeforeMaxCallSeconds_Completes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SecureTestHost.StartAsync(security: security => security.MaxCallSeconds = 60, time: time);
        using var client = new ShardClient(host.Shard.Address);

        time.Advance(TimeSpan.FromSeconds(59));
        var reply = await client.CreateJobAsync(TestJobs.Flat("quick", parameters: 4));

        Assert.True(reply.Created);
    }

    [Fact]
    public async Task Register_PastMaxWorkers_ResourceExhausted()
    {
        await using var host = await SecureTestHost.StartAsync(options => options.MaxWorkers = 2);
        using var client = new ShardClient(host.Shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("crowded", parameters: 4));
        await client.RegisterAsync("crowded", name: "one");
        await client.RegisterAsync("crowded", name: "two");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync("crowded", name: "three"));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("Shard:MaxWorkers", error.Status.Detail);
        Assert.Equal(2, (await client.StatusAsync("crowded")).Workers.Count);
    }

    [Fact]
    public async Task Streams_AtStreamLimit_Queue()
    {
        await using var host = await SecureTestHost.StartAsync(security: options => options.MaxStreamsPerConnection = 1);
        var kestrel = host.Shard.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
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
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeouts.Default));

        // The only stream the connection may open is taken, so a second call cannot start before its deadline.
        var blocked = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(request,
            deadline: DateTime.UtcNow + TestTimeouts.Absence).ResponseAsync.WaitAsync(TestTimeouts.Default));
        Assert.Equal(StatusCode.DeadlineExceeded, blocked.StatusCode);

        watchCancellation.Cancel();
        var reply = await health.CheckAsync(request, deadline: ShardClient.Deadline).ResponseAsync;
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
