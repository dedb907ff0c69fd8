using Microsoft.Extensions.Time.Testing;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Membership;

public sealed class EvictionTests
{
    [Fact]
    public async Task Eviction_SilentWorkerDuringSyncStep_StepCompletesWithRest()
    {
        var time = new FakeTimeProvider();
        await using RunningShard shard = await ShardTestHost.StartAsync(o => o.HeartbeatTimeoutSeconds = 10, time);
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("evict", 2, learningRate: 1.0));
        RegisterResponse alive = await client.RegisterAsync("evict", name: "alive");
        RegisterResponse silent = await client.RegisterAsync("evict", name: "silent");

        Task<PushReply> push = client.PushPullAsync(TestJobs.Header(alive, 0, 0), [2f, 4f]);
        await shard.Job("evict").WaitForAcceptedAsync(alive.WorkerId, 0);
        time.Advance(TimeSpan.FromSeconds(8));
        await client.Shard.HeartbeatAsync(
            new HeartbeatRequest { JobId = "evict", WorkerId = alive.WorkerId, WorkerStep = 0 },
            deadline: ShardClient.Deadline);
        Assert.False(push.IsCompleted);

        // 11 s since the silent worker registered, 3 s since the other's heartbeat: only the silent one expires.
        time.Advance(TimeSpan.FromSeconds(3));
        PushReply reply = await push.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, reply.Result.Version);
        Assert.Equal(1, reply.Result.Contributors);
        Assert.Equal([-2f, -4f], reply.Weights!);
        JobStatus status = await client.StatusAsync("evict");
        Assert.Equal(1, status.Evictions);
        Assert.Equal([alive.WorkerId], status.Workers.Select(worker => worker.WorkerId));
        MembershipEvent evicted = status.RecentEvents.Single(e => e.Kind == "evicted");
        Assert.Equal(silent.WorkerId, evicted.WorkerId);
        Assert.Contains("no heartbeat", evicted.Reason);
    }

    [Fact]
    public async Task Eviction_EvictedWorkerPushes_FailsPrecondition()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("operator", 1));
        RegisterResponse worker = await client.RegisterAsync("operator");

        EvictWorkerResponse response = await client.Operator.EvictWorkerAsync(
            new EvictWorkerRequest { JobId = "operator", WorkerId = worker.WorkerId, Reason = "maintenance" },
            deadline: ShardClient.Deadline);
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            client.PushPullAsync(TestJobs.Header(worker, 0, 0), [1f]));

        Assert.True(response.Evicted);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains($"worker_id {worker.WorkerId} is not registered", error.Status.Detail);
        JobStatus status = await client.StatusAsync("operator");
        Assert.Equal("maintenance", status.RecentEvents.Single(e => e.Kind == "evicted").Reason);
        Assert.Equal(1, status.PushesRejected["unregistered"]);
    }

    [Fact]
    public async Task Deregister_DuringSyncStep_StepCompletesWithRest()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("leave", 1, learningRate: 1.0));
        RegisterResponse staying = await client.RegisterAsync("leave");
        RegisterResponse leaving = await client.RegisterAsync("leave");
        Task<PushReply> push = client.PushPullAsync(TestJobs.Header(staying, 0, 0), [3f]);
        await shard.Job("leave").WaitForAcceptedAsync(staying.WorkerId, 0);

        await client.Shard.DeregisterAsync(
            new DeregisterRequest { JobId = "leave", WorkerId = leaving.WorkerId }, deadline: ShardClient.Deadline);
        PushReply reply = await push.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, reply.Result.Contributors);
        Assert.Equal(-3f, reply.Weights![0]);
        Assert.Contains((await client.StatusAsync("leave")).RecentEvents, e => e.Kind == "left" && e.WorkerId == leaving.WorkerId);
    }
}
