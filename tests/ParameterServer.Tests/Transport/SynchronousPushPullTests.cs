using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Transport;

public sealed class SynchronousPushPullTests
{
    [Fact]
    public async Task PushPull_TwoWorkers_AveragesAndReturnsNextVersion()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("sync", 3, learningRate: 0.5, initialValue: 1, minWorkers: 2));
        RegisterResponse first = await client.RegisterAsync("sync");
        RegisterResponse second = await client.RegisterAsync("sync");

        Task<PushReply> pushA = client.PushPullAsync(TestJobs.Header(first, 0, 0), [1f, 2f, 3f]);
        Task<PushReply> pushB = client.PushPullAsync(TestJobs.Header(second, 0, 0), [3f, 2f, 1f]);
        PushReply[] replies = await Task.WhenAll(pushA, pushB).WaitAsync(TestTimeouts.Default);

        foreach (PushReply reply in replies)
        {
            Assert.Equal(PushOutcome.Merged, reply.Result.Outcome);
            Assert.Equal(1, reply.Result.Version);
            Assert.Equal(2, reply.Result.Contributors);
            Assert.Equal(1, reply.Header!.Version);
            // mean gradient 2 everywhere; w = 1 - 0.5 * 2 = 0.
            Assert.Equal([0f, 0f, 0f], reply.Weights!);
        }

        WeightsReply pulled = await client.PullAsync("sync", minVersion: 1);
        Assert.Equal(1, pulled.Header.Version);
        Assert.Equal([0f, 0f, 0f], pulled.Values);

        JobStatus status = await client.StatusAsync("sync");
        Assert.Equal(1, status.Version);
        Assert.Equal(2, status.PushesMerged);
        Assert.Equal(24, status.BytesIn);
        Assert.Equal(3 * 12, status.BytesOut);
    }
}
