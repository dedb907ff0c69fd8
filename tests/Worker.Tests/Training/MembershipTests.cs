using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;
using ParamServer.Worker.Tests.Training.Infrastructure;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

/// <summary>Workers joining a running job and the evaluator role, against real shards.</summary>
public sealed class MembershipTests
{
    private static readonly ShardClientOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        StepTimeout = TimeSpan.FromSeconds(30),
    };

    private static readonly TrainingSettings Settings = new() { ProgressEverySteps = 1 };

    [Fact]
    public async Task Join_RunningJob_ContributesFromFirstStep()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("join", shards: 2, epochs: 3);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var progressA = new RecordingProgress();
        var progressB = new RecordingProgress();
        using ShardGroup groupA = cluster.NewGroup(job.JobId, "worker-a", Options, logger);
        using ShardGroup groupB = cluster.NewGroup(job.JobId, "worker-b", Options, logger);
        var joinerStarted = new TaskCompletionSource<Task<TrainingSummary>>(TaskCreationOptions.RunContinuationsAsynchronously);
        progressA.OnStep = step =>
        {
            if (step.Step == 5)
            {
                joinerStarted.TrySetResult(new TrainingLoop(
                        groupB, new FixedDataSourceFactory(data), new CpuEngineFactory(), progressB, Settings, logger)
                    .RunAsync(CancellationToken.None));
            }
        };

        TrainingSummary a = await new TrainingLoop(
                groupA, new FixedDataSourceFactory(data), new CpuEngineFactory(), progressA, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        Task<TrainingSummary> joiner = await joinerStarted.Task.WaitAsync(TestTimeouts.Default);
        TrainingSummary b = await joiner.WaitAsync(TestTimeouts.Default);

        Assert.Equal("completed", a.Reason);
        Assert.Equal("completed", b.Reason);
        Assert.NotNull(progressB.Start);
        Assert.True(progressB.Start!.Version >= 5, $"the joiner started at version {progressB.Start.Version}");
        Assert.True(b.Steps > 0);
        Assert.Equal(2 * b.Steps, b.Pushes.Merged);
        Assert.Equal(0, b.Pushes.RejectedStale);
        Assert.True(progressB.Start.FirstEpoch >= 1, "the joiner starts with the first epoch not yet split");
    }

    [Fact]
    public async Task Evicted_Worker_RegistersAgainWithSameId()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("evict", shards: 2, epochs: 2);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var progress = new RecordingProgress();
        using ShardGroup group = cluster.NewGroup(job.JobId, "worker-a", Options, logger);
        progress.OnStep = step =>
        {
            if (step.Step == 7)
            {
                // The operator evicts the worker on the coordinator between two steps.
                using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(cluster.Endpoints[0]);
                var shardOperator = new ShardOperator.ShardOperatorClient(channel);
                EvictWorkerResponse evicted = shardOperator.EvictWorker(
                    new EvictWorkerRequest { JobId = job.JobId, WorkerId = step.WorkerId, Reason = "test" },
                    deadline: DateTime.UtcNow + TestTimeouts.Default);
                Assert.True(evicted.Evicted);
            }
        };

        TrainingSummary summary = await new TrainingLoop(
                group, new FixedDataSourceFactory(data), new CpuEngineFactory(), progress, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        Assert.Equal("completed", summary.Reason);
        Assert.Equal(32, summary.Steps);
        Assert.Equal(1, summary.Rejoins);
        Assert.Equal(progress.Start!.WorkerId, summary.WorkerId);
        Assert.Equal(0, Assert.Single(progress.Rejoins).Shard);
        JobStatus status = (await cluster.StatusAsync(0, job.JobId)).Jobs.Single();
        Assert.Equal(32, status.Version);
        Assert.Equal(["joined", "evicted", "joined", "left"], status.RecentEvents.Select(e => e.Kind));
    }

    [Fact]
    public async Task Evaluator_ToMaxSteps_ReportsLastVersion()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("evaluate", shards: 2, epochs: 3, maxSteps: 40, evalEverySteps: 16);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var logger = new RecordingLogger();
        var trainerProgress = new RecordingProgress();
        var evaluatorProgress = new RecordingProgress();
        using ShardGroup trainerGroup = cluster.NewGroup(job.JobId, "trainer", Options, logger);
        using ShardGroup evaluatorGroup = cluster.NewGroup(job.JobId, "evaluator", Options, logger, evaluator: true);
        var evaluatorSettings = Settings with { EvaluatorPollInterval = TimeSpan.FromMilliseconds(10) };

        Task<TrainingSummary> evaluator = new EvaluatorLoop(
                evaluatorGroup,
                new FixedDataSourceFactory(data),
                new CpuEngineFactory(),
                evaluatorProgress,
                evaluatorSettings,
                logger,
                TimeProvider.System)
            .RunAsync(CancellationToken.None);
        TrainingSummary trainer = await new TrainingLoop(
                trainerGroup, new FixedDataSourceFactory(data), new CpuEngineFactory(), trainerProgress, Settings, logger)
            .RunAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        TrainingSummary evaluated = await evaluator.WaitAsync(TestTimeouts.Default);

        Assert.Equal("max_steps", trainer.Reason);
        Assert.Equal(40, trainer.Steps);
        Assert.Equal("max_steps", evaluated.Reason);
        long[] versions = evaluatorProgress.Evaluations.Select(e => e.Version).ToArray();
        Assert.Equal(40, versions[^1]);
        Assert.Equal(versions.Order(), versions);
        Assert.All(versions.Zip(versions.Skip(1)), pair => Assert.True(
            pair.Second - pair.First >= 16 || pair.Second == 40,
            $"evaluations at versions {pair.First} and {pair.Second} are closer than eval_every_steps"));
        Assert.Equal(versions.Length, evaluated.Steps);
        Assert.InRange(evaluated.LastAccuracy, 0.0, 1.0);

        // The trainer evaluates on its own schedule too, at 16 and 32, and the final version.
        Assert.Equal([16L, 32L, 40L], trainerProgress.Evaluations.Select(e => e.Version));
        JobStatus status = (await cluster.StatusAsync(1, job.JobId)).Jobs.Single();
        Assert.True(status.HasEvaluation);
        Assert.Equal(40, status.LastEvaluationVersion);
    }
}
