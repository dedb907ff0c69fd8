using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Transport;

public sealed class SubscribeTests
{
    [Fact]
    public async Task Subscribe_SlowSubscriber_SkipsIntermediateVersions()
    {
        // 4 MiB per version: far more than the client's HTTP/2 receive window, so the shard stays blocked on
        // version 0 until the test reads it.
        const int Parameters = 1 << 20;
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("sub", Parameters, ConsistencyMode.Asynchronous, learningRate: 1.0));
        RegisterResponse worker = await client.RegisterAsync("sub");
        using AsyncServerStreamingCall<WeightsMessage> call = client.Shard.Subscribe(
            new SubscribeRequest { JobId = "sub" }, deadline: ShardClient.Deadline);
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(0, call.ResponseStream.Current.Header.Version);

        float[] ones = Enumerable.Repeat(1f, Parameters).ToArray();
        for (int step = 0; step < 5; step++)
        {
            await client.PushPullAsync(TestJobs.Header(worker, step, step, returnWeights: false), ones);
        }

        long chunkBytes = 0;
        while (chunkBytes < Parameters * sizeof(float))
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
            chunkBytes += call.ResponseStream.Current.Chunk.Length;
        }

        WeightsReply? next = await ShardClient.ReadWeightsAsync(call.ResponseStream, timeout.Token);
        Assert.NotNull(next);
        Assert.Equal(5, next.Header.Version);
        Assert.All(next.Values, value => Assert.Equal(-5f, value));
    }

    [Fact]
    public async Task Subscribe_OverLimit_ResourceExhausted()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("many", 1));
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        var open = new List<AsyncServerStreamingCall<WeightsMessage>>();
        try
        {
            for (int i = 0; i < ParamServer.Server.Jobs.ShardJob.MaxSubscribers; i++)
            {
                AsyncServerStreamingCall<WeightsMessage> call = client.Shard.Subscribe(
                    new SubscribeRequest { JobId = "many" }, deadline: ShardClient.Deadline);
                open.Add(call);
                Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
            }

            using AsyncServerStreamingCall<WeightsMessage> extra = client.Shard.Subscribe(
                new SubscribeRequest { JobId = "many" }, deadline: ShardClient.Deadline);
            var error = await Assert.ThrowsAsync<RpcException>(() => extra.ResponseStream.MoveNext(timeout.Token));

            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        }
        finally
        {
            open.ForEach(call => call.Dispose());
        }
    }

    [Fact]
    public async Task Pull_MinVersionNotReached_DeadlineExceeded()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("wait", 1));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.PullAsync("wait", minVersion: 1, deadline: DateTime.UtcNow + TestTimeouts.Absence));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }
}
