using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Transport;

public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task PushPull_RetryAfterApply_AppliedOnce()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("retry", 2, learningRate: 1.0));
        RegisterResponse worker = await client.RegisterAsync("retry");

        PushReply first = await client.PushPullAsync(TestJobs.Header(worker, 0, 0), [1f, 2f]);
        PushReply retry = await client.PushPullAsync(TestJobs.Header(worker, 0, 0), [1f, 2f]);

        Assert.Equal(PushOutcome.Merged, first.Result.Outcome);
        Assert.Equal(PushOutcome.Deduplicated, retry.Result.Outcome);
        Assert.Equal(first.Result.Version, retry.Result.Version);
        Assert.Equal(first.Result.Contributors, retry.Result.Contributors);
        Assert.Equal([-1f, -2f], retry.Weights!);
        JobStatus status = await client.StatusAsync("retry");
        Assert.Equal(1, status.Version);
        Assert.Equal(1, status.PushesMerged);
        Assert.Equal(1, status.PushesDeduplicated);
    }

    [Fact]
    public async Task PushPull_RetryWhilePending_WaitsAndAppliesOnce()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("pending", 2, learningRate: 1.0, minWorkers: 2));
        RegisterResponse first = await client.RegisterAsync("pending");
        RegisterResponse second = await client.RegisterAsync("pending");

        Task<PushReply> original = client.PushPullAsync(TestJobs.Header(first, 0, 0), [4f, 4f]);
        await shard.Job("pending").WaitForAcceptedAsync(first.WorkerId, 0);
        Task<PushReply> retry = client.PushPullAsync(TestJobs.Header(first, 0, 0), [4f, 4f]);
        await shard.Job("pending").WaitUntilAsync(() => shard.Job("pending").Counters.Deduplicated == 1);
        Assert.False(original.IsCompleted);
        Assert.False(retry.IsCompleted);

        PushReply other = await client.PushPullAsync(TestJobs.Header(second, 0, 0), [2f, 2f]);
        PushReply[] replies = await Task.WhenAll(original, retry).WaitAsync(TestTimeouts.Default);

        Assert.Equal(PushOutcome.Merged, replies[0].Result.Outcome);
        Assert.Equal(PushOutcome.Deduplicated, replies[1].Result.Outcome);
        Assert.Equal(1, other.Result.Version);
        Assert.Equal(2, other.Result.Contributors);
        // Mean of 4 and 2 is 3: applied once, w = -3.
        Assert.Equal([-3f, -3f], other.Weights!);
        Assert.Equal([-3f, -3f], replies[1].Weights!);
        Assert.Equal(1, (await client.StatusAsync("pending")).Version);
    }

    [Fact]
    public async Task PushPull_StepAfterRetryWindow_FailsPrecondition()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("window", 1, ConsistencyMode.Asynchronous));
        RegisterResponse worker = await client.RegisterAsync("window");
        for (int step = 0; step < ParamServer.Server.Jobs.PushLedger.Capacity + 2; step++)
        {
            await client.PushPullAsync(TestJobs.Header(worker, step, step, returnWeights: false), [1f]);
        }

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            client.PushPullAsync(TestJobs.Header(worker, 0, 0), [1f]));

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("worker_step is 0 but worker 1 must push step 18 next", error.Status.Detail);
        Assert.Equal(18, (await client.StatusAsync("window")).Version);
    }
}
