using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;
using ParamServer.Worker.Tests.Training.Infrastructure;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

/// <summary>Two trainers in one job under each consistency mode, against two real shards.</summary>
public sealed class ConsistencyModeTests
{
    private static readonly ShardClientOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        StepTimeout = TimeSpan.FromSeconds(30),
    };

    private static readonly TrainingSettings Settings = new() { ProgressEverySteps = 1 };

    [Fact]
    public async Task Synchronous_TwoWorkers_EachEpochCoveredOnce()
    {
        JobSpec job = TestJobs.Softmax("sync2", shards: 2, epochs: 3);
        (TrainingSummary a, TrainingSummary b, RecordingProgress pa, RecordingProgress pb, long[] versions) =
            await RunTwoAsync(job);

        Assert.Equal("completed", a.Reason);
        Assert.Equal("completed", b.Reason);

        // The coordinator fixes an epoch's split when it is first asked for it, so the worker that registers first
        // may train epoch 0 alone while the other starts with epoch 1. Either way the blocks of every epoch hold the
        // 512 samples once, and an epoch split in two takes 8 steps of 32 on each worker.
        EpochCompleted[] epochs = pa.Epochs.Concat(pb.Epochs).ToArray();
        foreach (IGrouping<long, EpochCompleted> epoch in epochs.GroupBy(e => e.Epoch))
        {
            Assert.Equal(512, epoch.Sum(e => e.Samples));
            Assert.Equal(epoch.First().WorldSize, epoch.Count());
            Assert.Equal(Enumerable.Range(0, epoch.Count()), epoch.Select(e => e.Rank).Order());
            Assert.All(epoch, e => Assert.Equal(16 / e.WorldSize, e.Steps));
        }

        Assert.Equal([0L, 1L, 2L], epochs.Select(e => e.Epoch).Distinct().Order());
        Assert.Equal(versions[0], versions[1]);
        Assert.InRange(a.Steps, 1, versions[0]);
        Assert.InRange(b.Steps, 1, versions[0]);
        Assert.Equal(2 * a.Steps, a.Pushes.Merged + a.Pushes.Deduplicated);
        Assert.Equal(2 * b.Steps, b.Pushes.Merged + b.Pushes.Deduplicated);
    }

    [Fact]
    public async Task Asynchronous_TwoWorkers_EveryPushApplied()
    {
        JobSpec job = TestJobs.Softmax("async2", shards: 2, epochs: 2, learningRate: 0.5, mode: ConsistencyMode.Asynchronous);
        (TrainingSummary a, TrainingSummary b, _, _, long[] versions) = await RunTwoAsync(job);

        Assert.Equal("completed", a.Reason);
        Assert.Equal("completed", b.Reason);
        Assert.Equal(2 * a.Steps, a.Pushes.Applied);
        Assert.Equal(2 * b.Steps, b.Pushes.Applied);
        Assert.Equal(a.Steps + b.Steps, versions[0]);
        Assert.Equal(a.Steps + b.Steps, versions[1]);
    }

    [Fact]
    public async Task BoundedStaleness_TwoWorkers_CompletesWithinBound()
    {
        JobSpec job = TestJobs.Softmax(
            "ssp2", shards: 2, epochs: 2, learningRate: 0.5, mode: ConsistencyMode.BoundedStaleness, stalenessBound: 1);
        (TrainingSummary a, TrainingSummary b, _, _, long[] versions) = await RunTwoAsync(job);

        Assert.Equal("completed", a.Reason);
        Assert.Equal("completed", b.Reason);
        Assert.Equal(2 * a.Steps, a.Pushes.Applied);
        Assert.Equal(a.Steps + b.Steps, versions[0]);
        Assert.Equal(a.Steps + b.Steps, versions[1]);
    }

    private static async Task<(TrainingSummary, TrainingSummary, RecordingProgress, RecordingProgress, long[])> RunTwoAsync(
        JobSpec job)
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        await cluster.CreateJobAsync(job);
        var data = new SyntheticDataSource(8, 4, 512, 256, seed: 3);
        var progressA = new RecordingProgress();
        var progressB = new RecordingProgress();
        var logger = new RecordingLogger();
        using ShardGroup groupA = cluster.NewGroup(job.JobId, "worker-a", Options, logger);
        using ShardGroup groupB = cluster.NewGroup(job.JobId, "worker-b", Options, logger);
        Task<TrainingSummary> a = new TrainingLoop(
                groupA, new FixedDataSourceFactory(data), new CpuEngineFactory(), progressA, Settings, logger)
            .RunAsync(CancellationToken.None);
        Task<TrainingSummary> b = new TrainingLoop(
                groupB, new FixedDataSourceFactory(data), new CpuEngineFactory(), progressB, Settings, logger)
            .RunAsync(CancellationToken.None);
        TrainingSummary[] summaries = await Task.WhenAll(a, b).WaitAsync(TestTimeouts.Default);
        long[] versions =
        [
            (await cluster.StatusAsync(0, job.JobId)).Jobs.Single().Version,
            (await cluster.StatusAsync(1, job.JobId)).Jobs.Single().Version,
        ];
        return (summaries[0], summaries[1], progressA, progressB, versions);
    }
}
