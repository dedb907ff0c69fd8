using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Membership;

public sealed class JoinTests
{
    [Fact]
    public async Task Join_MidRun_GetsCurrentWeightsAndContributes()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("join", 2, learningRate: 1.0));
        RegisterResponse first = await client.RegisterAsync("join", name: "first");
        float[]? latest = null;
        for (int step = 0; step < 3; step++)
        {
            latest = (await client.PushPullAsync(TestJobs.Header(first, step, step), [1f, 2f])).Weights;
        }

        RegisterResponse joiner = await client.RegisterAsync("join", name: "joiner");
        WeightsReply current = await client.PullAsync("join", minVersion: joiner.NextStep, workerId: joiner.WorkerId);

        Assert.Equal(3, joiner.Version);
        Assert.Equal(3, joiner.NextStep);
        Assert.Equal(3, current.Header.Version);
        Assert.Equal(latest, current.Values);
        Task<PushReply> a = client.PushPullAsync(TestJobs.Header(first, 3, 3), [1f, 2f]);
        Task<PushReply> b = client.PushPullAsync(TestJobs.Header(joiner, 3, 3), [3f, 4f]);
        PushReply[] replies = await Task.WhenAll(a, b).WaitAsync(TestTimeouts.Default);
        Assert.All(replies, reply => Assert.Equal(2, reply.Result.Contributors));
        // -3 - mean(1, 3) = -5 and -6 - mean(2, 4) = -9.
        Assert.Equal([-5f, -9f], replies[1].Weights!);
    }

    [Fact]
    public async Task Join_WhileStepGathered_StartsNextStepWithoutDelayingIt()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("late", 1, learningRate: 1.0));
        RegisterResponse first = await client.RegisterAsync("late");
        RegisterResponse second = await client.RegisterAsync("late");
        Task<PushReply> pending = client.PushPullAsync(TestJobs.Header(first, 0, 0), [1f]);
        await shard.Job("late").WaitForAcceptedAsync(first.WorkerId, 0);

        RegisterResponse joiner = await client.RegisterAsync("late");
        await client.PushPullAsync(TestJobs.Header(second, 0, 0), [3f]);
        PushReply reply = await pending.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, joiner.NextStep);
        Assert.Equal(2, reply.Result.Contributors);
        Assert.Equal(1, reply.Result.Version);
    }

    [Fact]
    public async Task Join_PullsLaterVersionBeforeFirstPush_MovesItsStart()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("skew", 1, learningRate: 1.0));
        RegisterResponse first = await client.RegisterAsync("skew");
        RegisterResponse joiner = await client.RegisterAsync("skew");
        Task<PushReply> pending = client.PushPullAsync(TestJobs.Header(first, 0, 0), [1f]);
        await shard.Job("skew").WaitForAcceptedAsync(first.WorkerId, 0);

        // Another shard returned next step 1 to the joiner; asking this shard for version 1 releases step 0.
        Task<WeightsReply> pull = client.PullAsync("skew", minVersion: 1, workerId: joiner.WorkerId, workerStep: 1);
        PushReply reply = await pending.WaitAsync(TestTimeouts.Default);
        WeightsReply weights = await pull.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, reply.Result.Contributors);
        Assert.Equal(1, weights.Header.Version);
        Assert.Equal(-1f, weights.Values[0]);
    }

    [Fact]
    public async Task Register_SameNameAgain_KeepsIdAndNextStep()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("rejoin", 1, ConsistencyMode.Asynchronous));
        RegisterResponse first = await client.RegisterAsync("rejoin", name: "pod-a");
        await client.PushPullAsync(TestJobs.Header(first, 0, 0, returnWeights: false), [1f]);
        await client.PushPullAsync(TestJobs.Header(first, 1, 1, returnWeights: false), [1f]);

        RegisterResponse again = await client.RegisterAsync("rejoin", name: "pod-a");

        Assert.Equal(first.WorkerId, again.WorkerId);
        Assert.Equal(2, again.NextStep);
        Assert.Single((await client.StatusAsync("rejoin")).Workers);
    }

    [Fact]
    public async Task Register_NonCoordinatorWithoutId_InvalidArgument()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync(o => { o.Index = 1; o.Count = 2; });
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("second", 4, numShards: 2));

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.RegisterAsync("second"));
        RegisterResponse withId = await client.RegisterAsync("second", workerId: 5);

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("worker_id is 0 but shard 1 is not the coordinator", error.Status.Detail);
        Assert.Equal(5u, withId.WorkerId);
        Assert.Equal(2, withId.RangeStart);
        Assert.Equal(2, withId.RangeLength);
        Assert.Null(withId.Assignment);
    }
}
