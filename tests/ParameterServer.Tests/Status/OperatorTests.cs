using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Status;

public sealed class OperatorTests
{
    [Fact]
    public async Task SetLearningRate_OverrideThenClear_AppliesAndReverts()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("lr", 1, ConsistencyMode.Asynchronous, learningRate: 1.0));
        RegisterResponse worker = await client.RegisterAsync("lr");

        SetLearningRateResponse set = await client.Operator.SetLearningRateAsync(
            new SetLearningRateRequest { JobId = "lr", LearningRate = 0.5 }, deadline: ShardClient.Deadline);
        PushReply overridden = await client.PushPullAsync(TestJobs.Header(worker, 0, 0), [2f]);
        JobStatus during = await client.StatusAsync("lr");
        SetLearningRateResponse cleared = await client.Operator.SetLearningRateAsync(
            new SetLearningRateRequest { JobId = "lr", Clear = true }, deadline: ShardClient.Deadline);
        PushReply scheduled = await client.PushPullAsync(TestJobs.Header(worker, 1, 1), [2f]);

        Assert.Equal(0.5, set.LearningRate);
        Assert.Equal(0.5, overridden.Result.LearningRate);
        Assert.Equal(-1f, overridden.Weights![0]);
        Assert.True(during.LearningRateOverridden);
        Assert.Equal(1.0, cleared.LearningRate);
        Assert.Equal(-3f, scheduled.Weights![0]);
        Assert.False((await client.StatusAsync("lr")).LearningRateOverridden);
    }

    [Fact]
    public async Task SetLearningRate_Negative_InvalidArgument()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("lr", 1));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.Operator.SetLearningRateAsync(
            new SetLearningRateRequest { JobId = "lr", LearningRate = -1 }, deadline: ShardClient.Deadline));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("learning_rate is -1", error.Status.Detail);
    }

    [Fact]
    public async Task Checkpoint_NoCheckpointService_Unimplemented()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync(configureBuilder: builder =>
            builder.Services.RemoveAll<ICheckpointService>());
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("ckpt", 1));

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.Operator.CheckpointAsync(new CheckpointRequest { JobId = "ckpt" }, deadline: ShardClient.Deadline));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task GetStatus_AllJobs_ListsEveryJobWithWorkers()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync(o => { o.Index = 0; o.Count = 1; });
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("b-job", 4));
        await client.CreateJobAsync(TestJobs.Flat("a-job", 6, ConsistencyMode.Asynchronous));
        RegisterResponse worker = await client.RegisterAsync("a-job", name: "trainer");
        await client.RegisterAsync("a-job", name: "eval", evaluator: true);
        PushHeader header = TestJobs.Header(worker, 0, 0, returnWeights: false);
        header.TrainingLoss = 0.75;
        await client.PushPullAsync(header, new float[6]);
        await client.Shard.ReportEvaluationAsync(
            new EvaluationReport { JobId = "a-job", Version = 1, ValidationLoss = 0.5, Accuracy = 0.9 },
            deadline: ShardClient.Deadline);

        ShardStatus status = await client.Operator.GetStatusAsync(new StatusRequest(), deadline: ShardClient.Deadline);

        Assert.Equal(["a-job", "b-job"], status.Jobs.Select(job => job.JobId));
        JobStatus job = status.Jobs[0];
        Assert.Equal(6, job.RangeLength);
        Assert.Equal(1, job.Version);
        Assert.Equal(1, job.PushesApplied);
        Assert.Equal(0.75, job.LastTrainingLoss);
        Assert.True(job.HasEvaluation);
        Assert.Equal(0.9, job.LastValidationAccuracy);
        Assert.Equal(2, job.Workers.Count);
        Assert.Equal(0, job.Workers[0].LastStep);
        Assert.True(job.Workers[1].Evaluator);
        Assert.Equal(worker.WorkerId, job.SlowestWorkerId);
        Assert.Equal(2, job.RecentEvents.Count(e => e.Kind == "joined"));
        Assert.True(status.UptimeSeconds >= 0);
    }
}
