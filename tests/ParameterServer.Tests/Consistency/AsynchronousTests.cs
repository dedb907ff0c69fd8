using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Consistency;

public sealed class AsynchronousTests
{
    [Fact]
    public async Task Asynchronous_EightConcurrentWorkers_LoseNoUpdate()
    {
        const int Workers = 8;
        const int PushesPerWorker = 1000;
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("async", 1, ConsistencyMode.Asynchronous, learningRate: 1.0));
        var workers = new RegisterResponse[Workers];
        for (int w = 0; w < Workers; w++)
        {
            workers[w] = await client.RegisterAsync("async");
        }

        using var start = new SemaphoreSlim(0, Workers);
        Task[] loops = workers.Select(worker => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (int step = 0; step < PushesPerWorker; step++)
            {
                PushReply reply = await client.PushPullAsync(
                    TestJobs.Header(worker, step, baseVersion: 0, returnWeights: false), [1f]);
                Assert.Equal(PushOutcome.Applied, reply.Result.Outcome);
            }
        })).ToArray();
        start.Release(Workers);
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(2));

        WeightsReply weights = await client.PullAsync("async");
        Assert.Equal(Workers * PushesPerWorker, weights.Header.Version);
        Assert.Equal(-8000f, weights.Values[0]);
        Assert.Equal(Workers * PushesPerWorker, (await client.StatusAsync("async")).PushesApplied);
    }

    [Fact]
    public async Task Asynchronous_OverMaxStaleness_RejectedStale()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        JobSpec spec = TestJobs.Flat("stale", 1, ConsistencyMode.Asynchronous, learningRate: 1.0);
        spec.Consistency.MaxStaleness = 2;
        await client.CreateJobAsync(spec);
        RegisterResponse fast = await client.RegisterAsync("stale");
        RegisterResponse slow = await client.RegisterAsync("stale");
        for (int step = 0; step < 3; step++)
        {
            await client.PushPullAsync(TestJobs.Header(fast, step, step, returnWeights: false), [1f]);
        }

        // Computed on version 0, arriving at version 3: staleness 3 exceeds the bound of 2.
        PushReply rejected = await client.PushPullAsync(TestJobs.Header(slow, 0, 0), [100f]);
        PushReply accepted = await client.PushPullAsync(TestJobs.Header(slow, 1, 1), [1f]);

        Assert.Equal(PushOutcome.RejectedStale, rejected.Result.Outcome);
        Assert.Equal(3, rejected.Result.Staleness);
        Assert.Equal(3, rejected.Result.Version);
        Assert.Equal(-3f, rejected.Weights![0]);
        Assert.Equal(PushOutcome.Applied, accepted.Result.Outcome);
        Assert.Equal(2, accepted.Result.Staleness);
        Assert.Equal(-4f, accepted.Weights![0]);
        JobStatus status = await client.StatusAsync("stale");
        Assert.Equal(1, status.PushesRejectedStale);
        Assert.Equal(4, status.PushesApplied);
        Assert.Equal(2, status.Workers.Single(worker => worker.WorkerId == slow.WorkerId).Staleness);
    }

    [Fact]
    public async Task Asynchronous_StalenessAwareRate_DividesByOnePlusStaleness()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        JobSpec spec = TestJobs.Flat("aware", 1, ConsistencyMode.Asynchronous, learningRate: 1.0);
        spec.Consistency.StalenessAwareLearningRate = true;
        await client.CreateJobAsync(spec);
        RegisterResponse fast = await client.RegisterAsync("aware");
        RegisterResponse slow = await client.RegisterAsync("aware");
        await client.PushPullAsync(TestJobs.Header(fast, 0, 0, returnWeights: false), [1f]);
        await client.PushPullAsync(TestJobs.Header(fast, 1, 1, returnWeights: false), [1f]);
        await client.PushPullAsync(TestJobs.Header(fast, 2, 2, returnWeights: false), [1f]);

        PushReply reply = await client.PushPullAsync(TestJobs.Header(slow, 0, 0), [4f]);

        // Staleness 3: lr 1 / (1 + 3) = 0.25, so w = -3 - 0.25 * 4 = -4.
        Assert.Equal(3, reply.Result.Staleness);
        Assert.Equal(0.25, reply.Result.LearningRate);
        Assert.Equal(-4f, reply.Weights![0]);
    }
}
