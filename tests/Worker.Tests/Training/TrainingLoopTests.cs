using Microsoft.Extensions.Logging;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;
using ParamServer.Worker.Tests.Training.Infrastructure;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

/// <summary>
/// Trainers with the ILGPU engine on the CPU accelerator against real shards over loopback gRPC, on softmax
/// regression (an MLP without hidden layers) of a synthetic linear-teacher problem.
/// </summary>
public sealed class TrainingLoopTests
{
    private static readonly ShardClientOptions FastRetries = new()
    {
        // 64-byte chunks split each shard's 72-byte slice into two chunks.
        ChunkBytes = 64,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        MaxRetries = 50,
        BreakerBreakDuration = TimeSpan.FromMilliseconds(500),
        CallTimeout = TimeSpan.FromSeconds(10),
        StepTimeout = TimeSpan.FromSeconds(30),
    };

    private static readonly TrainingSettings Settings = new() { ProgressEverySteps = 1 };

    [Fact]
    public async Task Train_TwoShards_TestLossFallsEightfold()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("softmax", shards: 2, epochs: 8, learningRate: 4, evalEverySteps: 64);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        double initialLoss = InitialTestLoss(job, data);
        var logger = new RecordingLogger();
        var progress = new RecordingProgress();
        using ShardGroup group = cluster.NewGroup(job.JobId, "worker-a", FastRetries, logger);

        TrainingSummary summary = await new TrainingLoop(
                group, new FixedDataSourceFactory(data), new CpuEngineFactory(), progress, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        Assert.Equal("completed", summary.Reason);
        Assert.Equal(128, summary.Steps);
        Assert.Equal(8, summary.Epochs);
        Assert.Equal(128, summary.Version);
        Assert.Equal(256, summary.Pushes.Merged);
        Assert.Equal([64L, 128L], progress.Evaluations.Select(e => e.Version));
        Assert.True(
            summary.LastLoss < initialLoss / 8,
            $"test loss {summary.LastLoss} after training; expected below an eighth of the initial {initialLoss}.");
        Assert.Equal(128, (await cluster.StatusAsync(1, job.JobId)).Jobs.Single().Version);
    }

    [Fact]
    public async Task Train_ShardRestartedWithoutState_RejoinsAndCompletes()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("restart", shards: 2);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var progress = new RecordingProgress();
        Task? restart = null;
        progress.OnStep = step =>
        {
            if (step.Step == 10)
            {
                // Runs inside the loop between two steps: shard 1 goes away with its state, and comes back on the
                // same port while the worker retries its next push.
                cluster.StopShardAsync(1).GetAwaiter().GetResult();
                restart = Task.Run(async () =>
                {
                    await logger.WhenLogged(5101).WaitAsync(TestTimeouts.Default);
                    await cluster.RestartShardAsync(1);
                });
            }
        };
        using ShardGroup group = cluster.NewGroup(job.JobId, "worker-a", FastRetries, logger);

        TrainingSummary summary = await new TrainingLoop(
                group, new FixedDataSourceFactory(data), new CpuEngineFactory(), progress, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await restart!.WaitAsync(TestTimeouts.Default);

        Assert.Equal("completed", summary.Reason);
        Assert.Equal(48, summary.Steps);
        Assert.Equal(1, summary.Rejoins);
        Assert.True(logger.Count(5101) >= 1, "expected at least one logged retry while shard 1 was down");
        Assert.Equal(1, logger.Count(5121));
        ShardRejoined rejoin = Assert.Single(progress.Rejoins);
        Assert.Equal(1, rejoin.Shard);
        Assert.Equal(0, rejoin.Version);

        // Shard 0 kept its state through all 48 steps; the restarted shard 1 saw the 38 steps after step 10.
        Assert.Equal(48, (await cluster.StatusAsync(0, job.JobId)).Jobs.Single().Version);
        Assert.Equal(38, (await cluster.StatusAsync(1, job.JobId)).Jobs.Single().Version);
    }

    [Fact]
    public async Task Train_ShardRestartedWithJob_RegistersAgain()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("recreated", shards: 2);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var progress = new RecordingProgress();
        progress.OnStep = step =>
        {
            if (step.Step == 10)
            {
                // Between two steps shard 0, the coordinator, restarts and gets the job from its launcher, but it
                // has no workers: the next push is rejected as unregistered.
                cluster.StopShardAsync(0).GetAwaiter().GetResult();
                cluster.RestartShardAsync(0).GetAwaiter().GetResult();
                cluster.CreateJobAsync(job, onlyShard: 0).GetAwaiter().GetResult();
            }
        };
        using ShardGroup group = cluster.NewGroup(job.JobId, "worker-a", FastRetries, logger);

        TrainingSummary summary = await new TrainingLoop(
                group, new FixedDataSourceFactory(data), new CpuEngineFactory(), progress, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        Assert.Equal("completed", summary.Reason);
        Assert.Equal(48, summary.Steps);
        Assert.Equal(1, summary.Rejoins);
        Assert.Equal(0, logger.Count(5121));
        Assert.Contains(logger.Entries, e => e.Id.Id == 5122 && e.Message.Contains("FailedPrecondition"));
        Assert.Equal(0, Assert.Single(progress.Rejoins).Shard);
        Assert.Equal(38, (await cluster.StatusAsync(0, job.JobId)).Jobs.Single().Version);
        Assert.Equal(48, (await cluster.StatusAsync(1, job.JobId)).Jobs.Single().Version);
    }

    [Fact]
    public async Task Train_Cancelled_StopsAndDeregisters()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(1);
        JobSpec job = TestJobs.Softmax("cancel", shards: 1);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var progress = new RecordingProgress();
        using var stop = new CancellationTokenSource();
        progress.OnStep = step =>
        {
            if (step.Step == 5)
            {
                stop.Cancel();
            }
        };
        using ShardGroup group = cluster.NewGroup(job.JobId, "worker-a", FastRetries, logger);

        TrainingSummary summary = await new TrainingLoop(
                group, new FixedDataSourceFactory(data), new CpuEngineFactory(), progress, Settings, logger)
            .RunAsync(stop.Token).WaitAsync(TestTimeouts.Default);

        Assert.Equal("stopped", summary.Reason);
        Assert.Equal(5, summary.Steps);
        JobStatus status = (await cluster.StatusAsync(0, job.JobId)).Jobs.Single();
        Assert.Empty(status.Workers);
        Assert.Equal(5, status.Version);
        Assert.Contains(status.RecentEvents, e => e.Kind == "left" && e.WorkerId == summary.WorkerId);
    }

    private static double InitialTestLoss(JobSpec job, SyntheticDataSource data)
    {
        ModelLayout layout = ModelLayout.Create(job.Model);
        var weights = new float[layout.TotalElements];
        TensorInitializer.FillRange(layout, 0, weights);
        using IGradientEngine engine = new CpuEngineFactory().Create(job.Model, data.Test.Count);
        engine.SetWeights(weights);
        return engine.Evaluate(data.Test.Inputs, data.Test.Labels, data.Test.Count).Loss;
    }
}
