using Microsoft.Extensions.DependencyInjection;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Jobs;

public sealed class JobStateTests
{
    [Fact]
    public async Task RestoreState_OnNewShard_ResumesWeightsAndRetryRecord()
    {
        JobSpec spec = TestJobs.Flat("resume", 3, learningRate: 0.1);
        spec.Optimizer = new OptimizerSpec { Kind = OptimizerKind.Adam, Beta1 = 0.8, Beta2 = 0.99 };
        ShardJobState state;
        PushReply last;
        RegisterResponse worker;
        await using (RunningShard original = await ShardTestHost.StartAsync())
        {
            using var client = new ShardClient(original.Address);
            await client.CreateJobAsync(spec);
            worker = await client.RegisterAsync("resume", name: "w");
            await client.PushPullAsync(TestJobs.Header(worker, 0, 0), [1f, -2f, 3f]);
            last = await client.PushPullAsync(TestJobs.Header(worker, 1, 1), [0.5f, 0.5f, -1f]);
            state = original.Job("resume").CaptureState();
        }

        await using RunningShard restored = await ShardTestHost.StartAsync();
        restored.Services.GetRequiredService<JobRegistry>().Restore(state);
        using var restoredClient = new ShardClient(restored.Address);

        PushReply retry = await restoredClient.PushPullAsync(TestJobs.Header(worker, 1, 1), [0.5f, 0.5f, -1f]);
        RegisterResponse again = await restoredClient.RegisterAsync("resume", name: "w");

        Assert.Equal(2, state.Version);
        Assert.Equal(2, state.OptimizerUpdateCount);
        Assert.NotEmpty(state.OptimizerBuffers);
        Assert.Equal(PushOutcome.Deduplicated, retry.Result.Outcome);
        Assert.Equal(last.Result.Version, retry.Result.Version);
        Assert.Equal(last.Weights, retry.Weights);
        Assert.Equal(worker.WorkerId, again.WorkerId);
        Assert.Equal(2, again.NextStep);
        Assert.Equal(2, (await restoredClient.StatusAsync("resume")).Version);
    }

    [Fact]
    public void CaptureState_PushPendingInStep_RecordedAsNotMade()
    {
        ShardJob job = JobProbe.Standalone(TestJobs.Flat("pending", 1, minWorkers: 2));
        RegisterResponse first = job.Register(new RegisterRequest { JobId = "pending" });
        job.Register(new RegisterRequest { JobId = "pending" });
        byte[] gradient = job.RentGradient();
        Task<PushResult> pending = job.SubmitAsync(TestJobs.Header(first, 0, 0), gradient, CancellationToken.None);

        ShardJobState state = job.CaptureState();

        Assert.False(pending.IsCompleted);
        WorkerState saved = state.Workers.Single(worker => worker.Id == first.WorkerId);
        Assert.Equal(0, saved.NextStep);
        Assert.False(saved.HasPushed);
        Assert.Empty(saved.Ledger);
    }

    [Fact]
    public async Task Register_OverMaxWorkers_ResourceExhausted()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync(o => o.MaxWorkers = 2);
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("full", 1));
        await client.RegisterAsync("full");
        await client.RegisterAsync("full");

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.RegisterAsync("full"));

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("the maximum Shard:MaxWorkers = 2", error.Status.Detail);
    }

    [Fact]
    public async Task Checkpoint_WithService_Delegates()
    {
        var service = new RecordingCheckpointService();
        await using RunningShard shard = await ShardTestHost.StartAsync(configureBuilder: builder =>
            builder.Services.AddSingleton<ICheckpointService>(service));
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("ckpt", 1));

        CheckpointResponse response = await client.Operator.CheckpointAsync(
            new CheckpointRequest { JobId = "ckpt" }, deadline: ShardClient.Deadline);
        JobStatus status = await client.StatusAsync("ckpt");

        Assert.Equal("/checkpoints/ckpt", response.Path);
        Assert.Equal(["ckpt"], service.Requests);
        Assert.True(status.Checkpoint.HasCheckpoint);
    }

    private sealed class RecordingCheckpointService : ICheckpointService
    {
        public List<string> Requests { get; } = [];

        public Task<CheckpointResponse> CheckpointAsync(string jobId, CancellationToken cancellationToken)
        {
            Requests.Add(jobId);
            return Task.FromResult(new CheckpointResponse { Path = $"/checkpoints/{jobId}" });
        }

        public CheckpointStatus? GetStatus(string jobId) => new() { HasCheckpoint = Requests.Contains(jobId) };
    }
}
