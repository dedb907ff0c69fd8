using System.Runtime.InteropServices;
using Microsoft.Extensions.Time.Testing;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Consistency;

public sealed class UnevenDataTests
{
    [Fact]
    public async Task EmptyPush_WorkerOutOfBatches_StepAveragesOnlyContributors()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("uneven", 2, learningRate: 1.0));
        RegisterResponse busy = await client.RegisterAsync("uneven");
        RegisterResponse done = await client.RegisterAsync("uneven");

        PushHeader empty = TestJobs.Header(done, 0, 0);
        empty.Length = 0;
        empty.BatchSize = 0;
        Task<PushReply> skip = client.PushPullAsync(empty, []);
        PushReply reply = await client.PushPullAsync(TestJobs.Header(busy, 0, 0), [2f, 6f]);
        PushReply skipped = await skip.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, reply.Result.Contributors);
        Assert.Equal([-2f, -6f], reply.Weights!);
        Assert.Equal(1, skipped.Result.Version);
        Assert.Equal([-2f, -6f], skipped.Weights!);
    }

    [Fact]
    public async Task EmptyPush_AllWorkersOutOfBatches_VersionAdvancesWithoutUpdate()
    {
        ShardJob job = JobProbe.Standalone(TestJobs.Flat("idle", 1, initialValue: 3));
        RegisterResponse worker = job.Register(new RegisterRequest { JobId = "idle" });
        PushHeader empty = TestJobs.Header(worker, 0, 0);
        empty.Length = 0;
        empty.BatchSize = 0;

        PushResult result = await job.SubmitAsync(empty, null, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        WeightsSnapshot snapshot = await job.AcquireWeightsAsync(1, null, CancellationToken.None);

        Assert.Equal(0, result.Contributors);
        Assert.Equal(1, result.Version);
        Assert.Equal(3f, snapshot.Values[0]);
        snapshot.Release();
    }

    [Fact]
    public async Task BoundedStaleness_SlowestWorkerEvicted_WaitCompletes()
    {
        var time = new FakeTimeProvider();
        ShardJob job = JobProbe.Standalone(
            TestJobs.Flat("dead", 1, ConsistencyMode.BoundedStaleness, stalenessBound: 1), time);
        RegisterResponse fast = job.Register(new RegisterRequest { JobId = "dead" });
        job.Register(new RegisterRequest { JobId = "dead" });
        for (int step = 0; step < 2; step++)
        {
            byte[] gradient = job.RentGradient();
            MemoryMarshal.Cast<byte, float>(gradient.AsSpan()).Fill(1f);
            await job.SubmitAsync(TestJobs.Header(fast, step, step, returnWeights: false), gradient, CancellationToken.None);
        }

        Task<WeightsSnapshot> read = job.AcquireWeightsAsync(0, 2, CancellationToken.None);
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(20));
        job.Heartbeat(new HeartbeatRequest { JobId = "dead", WorkerId = fast.WorkerId, WorkerStep = 2 });
        time.Advance(TimeSpan.FromSeconds(11));
        int evicted = job.EvictExpired(time.GetTimestamp());
        WeightsSnapshot snapshot = await read.WaitAsync(TestTimeouts.Default);

        Assert.Equal(1, evicted);
        Assert.Equal(2, snapshot.Version);
        snapshot.Release();
    }
}
