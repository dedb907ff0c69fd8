using Microsoft.Extensions.Time.Testing;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Consistency;

public sealed class MinWorkersTests
{
    [Fact]
    public async Task MinWorkers_FirstStep_WaitsForSecondWorker()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("gate", 1, minWorkers: 2));
        RegisterResponse first = await client.RegisterAsync("gate", name: "first");

        Task<PushReply> early = client.PushPullAsync(TestJobs.Header(first, 0, 0), [2f]);
        await shard.Job("gate").WaitForAcceptedAsync(first.WorkerId, 0);
        Assert.False(early.IsCompleted);

        RegisterResponse second = await client.RegisterAsync("gate", name: "second");
        Assert.Equal(0, second.NextStep);
        PushReply late = await client.PushPullAsync(TestJobs.Header(second, 0, 0), [4f]).WaitAsync(TestTimeouts.Default);
        PushReply firstReply = await early.WaitAsync(TestTimeouts.Default);

        Assert.Equal(2, late.Result.Contributors);
        Assert.Equal(1, firstReply.Result.Version);
        Assert.Equal([-3f], late.Weights!);
    }

    [Fact]
    public async Task MinWorkers_AfterFirstStep_EvictionDoesNotStall()
    {
        var time = new FakeTimeProvider();
        await using RunningShard shard = await ShardTestHost.StartAsync(o => o.HeartbeatTimeoutSeconds = 10, time);
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("floor", 1, minWorkers: 2));
        RegisterResponse alive = await client.RegisterAsync("floor", name: "alive");
        RegisterResponse doomed = await client.RegisterAsync("floor", name: "doomed");
        Task<PushReply> first = client.PushPullAsync(TestJobs.Header(alive, 0, 0), [2f]);
        await client.PushPullAsync(TestJobs.Header(doomed, 0, 0), [2f]).WaitAsync(TestTimeouts.Default);
        await first.WaitAsync(TestTimeouts.Default);

        Task<PushReply> second = client.PushPullAsync(TestJobs.Header(alive, 1, 1), [1f]);
        await shard.Job("floor").WaitForAcceptedAsync(alive.WorkerId, 1);
        time.Advance(TimeSpan.FromSeconds(6));
        await client.Shard.HeartbeatAsync(
            new HeartbeatRequest { JobId = "floor", WorkerId = alive.WorkerId, WorkerStep = 1 },
            deadline: ShardClient.Deadline);
        time.Advance(TimeSpan.FromSeconds(6));
        PushReply reply = await second.WaitAsync(TestTimeouts.Default);

        Assert.Equal(2, reply.Result.Version);
        Assert.Equal(1, reply.Result.Contributors);
        Assert.Equal([-3f], reply.Weights!);
    }
}
