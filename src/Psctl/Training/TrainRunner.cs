using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Charts;
using ParamServer.Psctl.Cluster;
using ParamServer.Psctl.Data;
using ParamServer.Psctl.Logging;
using ParamServer.Psctl.Models;
using ParamServer.Psctl.Status;

namespace ParamServer.Psctl.Training;

/// <summary>
/// Runs <c>psctl train</c>: gets the MNIST files, starts a local cluster, follows training with a live progress
/// line, then gathers the final model from the shards, evaluates it on the test set, and writes the model, the
/// chart and a summary into the run directory. The cluster is stopped on every exit path.
/// </summary>
public sealed class TrainRunner
{
    private readonly ILogger _logger;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly TimeProvider _time;

    public TrainRunner(ILogger logger, TextWriter output, bool interactive, TimeProvider time)
    {
        _logger = logger;
        _output = output;
        _interactive = interactive;
        _time = time;
    }

    /// <exception cref="ClusterException">A process failed; the message names it and its log.</exception>
    /// <exception cref="MnistUnavailableException">The data could not be found or fetched.</exception>
    /// <param name="clusterStarted">Called once every shard is healthy and the workers are started; null for none.</param>
    public async Task<TrainResult> RunAsync(
        TrainPlan plan,
        CancellationToken cancellationToken,
        Action<LocalCluster>? clusterStarted = null)
    {
        var wall = Stopwatch.StartNew();
        TrainSettings settings = plan.Settings;
        string runDirectory = Path.GetFullPath(settings.RunDirectory ?? DefaultRunDirectory(_time));
        Directory.CreateDirectory(runDirectory);
        await File.WriteAllTextAsync(
            Path.Combine(runDirectory, "job.json"), JsonFormatter.Default.Format(plan.Job), cancellationToken);

        string dataDirectory = await new MnistCache(_logger).EnsureAsync(
            settings.DataDirectory, settings.CacheDirectory, settings.Npm, cancellationToken);
        ClusterPrograms programs = ClusterPrograms.Resolve(settings.ShardProgram, settings.WorkerProgram,
            settings.DotnetHost);

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training job '{plan.Job.JobId}': {settings.Shards} shards, {settings.Workers} workers, " +
            $"{SpecText.Describe(plan.Job.Consistency)}; {SpecText.Describe(plan.Job.Optimizer)}; " +
            $"{SpecText.Describe(plan.Job.Schedule)}; batch {settings.BatchSize} per worker, {settings.Epochs} epochs."));
        _output.WriteLine($"Data: {dataDirectory}");
        _output.WriteLine($"Run directory: {runDirectory}");

        await using LocalCluster cluster = await LocalCluster.StartAsync(
            plan, programs, runDirectory, dataDirectory, _logger, cancellationToken);
        var training = Stopwatch.StartNew();
        _output.WriteLine("Shards: " + string.Join(", ", cluster.ShardEndpoints.Select(e => e.ToString())));
        clusterStarted?.Invoke(cluster);

        var monitor = new TrainingMonitor(cluster.Connections, plan, _time, _logger);
        foreach (ChildProcess worker in cluster.Workers.Except(cluster.Evaluators))
        {
            // Workers report their minibatch loss every few steps; these samples make the chart's loss curve.
            worker.LineReceived += (_, line) =>
            {
                if (WorkerProgressParser.ParseStep(line) is (long version, double loss))
                {
                    monitor.History.AddLoss(version, loss);
                }
            };
        }

        var progress = new ProgressLine(_output, _interactive, plan);
        using var stopMonitor = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task monitoring = monitor.RunAsync(
            snapshot =>
            {
                if (settings.Progress)
                {
                    progress.Update(snapshot);
                }
            },
            stopMonitor.Token);

        IReadOnlyList<(string Name, int ExitCode)> exits;
        try
        {
            exits = await cluster.WaitForWorkersAsync(cancellationToken);
        }
        finally
        {
            await stopMonitor.CancelAsync();
            await monitoring;
            progress.Finish();
        }

        training.Stop();
        // A worker lost mid-run (killed, or stopped on its own with SIGTERM) is evicted and the job goes on with the
        // rest, so the run fails only when no training worker finished the job.
        var failed = exits.Where(e => e.ExitCode != 0).ToList();
        if (failed.Count > 0 && failed.Count < exits.Count)
        {
            string lost = string.Join(", ", failed.Select(f => $"{f.Name} (exit code {f.ExitCode})"));
            PsctlLog.WorkersLost(_logger, plan.Job.JobId, lost);
            _output.WriteLine($"Warning: finished without {lost}.");
        }
        else if (failed.Count > 0)
        {
            ChildProcess first = cluster.Workers.First(w => w.Name == failed[0].Name);
            throw new ClusterException(
                $"{string.Join(", ", failed.Select(f => $"{f.Name} exited with code {f.ExitCode}"))}; " +
                $"log {first.LogPath}:\n{first.Tail()}");
        }

        // The evaluator runs until the job has had no trainer for a while. psctl evaluates the final model itself.
        var grace = TimeSpan.FromSeconds(settings.StopTimeoutSeconds);
        await Task.WhenAll(cluster.Evaluators.Select(e => e.StopAsync(grace)));
        ProgressSnapshot? last = await monitor.PollAsync(cancellationToken) ?? monitor.Latest;
        string modelPath = Path.Combine(runDirectory, "model.safetensors");
        (FinalModel model, IReadOnlyList<string> checkpoints) = await new FinalModelWriter(_logger).SaveAsync(
            cluster.Connections, plan.Job, cluster.CheckpointDirectory, modelPath, cancellationToken);
        TrainResult result = await FinishAsync(plan, model, checkpoints, modelPath, monitor, last, runDirectory,
            dataDirectory, wall, training.Elapsed, cancellationToken);
        PsctlLog.TrainingFinished(_logger, plan.Job.JobId, result.FinalVersion, result.FinalAccuracy,
            result.WallTime.TotalSeconds);
        return result;
    }

    /// <summary>Default run directory: runs/YYYYMMDD-HHMMSS (UTC) under the current directory.</summary>
    public static string DefaultRunDirectory(TimeProvider time) =>
        Path.Combine("runs", time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    private async Task<TrainResult> FinishAsync(
        TrainPlan plan,
        FinalModel model,
        IReadOnlyList<string> checkpoints,
        string modelPath,
        TrainingMonitor monitor,
        ProgressSnapshot? last,
        string runDirectory,
        string dataDirectory,
        Stopwatch wall,
        TimeSpan trainingTime,
        CancellationToken cancellationToken)
    {
        MnistTestSet test = MnistTestSet.Load(dataDirectory);
        (double accuracy, double loss) = MlpEvaluator.Evaluate(model, test.Pixels, test.Labels, test.Count);
        monitor.History.AddAccuracy(model.Version, accuracy);

        string chartPath = Path.Combine(runDirectory, "training.png");
        string title = string.Create(CultureInfo.InvariantCulture,
            $"MNIST MLP, {plan.Settings.Shards} SHARDS X {plan.Settings.Workers} WORKERS, " +
            $"{TrainOptionCatalog.NameOf(plan.Settings.Consistency)}: FINAL {Units.Percent(accuracy)}");
        PngEncoder.Write(TrainingChart.Render(monitor.History.Loss, monitor.History.Accuracy, title), chartPath);

        long bytes = last?.BytesMoved ?? 0;
        double stepsPerSecond = trainingTime.TotalSeconds > 0 ? model.Version / trainingTime.TotalSeconds : 0;
        string summaryPath = Path.Combine(runDirectory, "summary.json");
        wall.Stop();
        var result = new TrainResult(accuracy, loss, model.Version, wall.Elapsed, trainingTime, stepsPerSecond, bytes,
            runDirectory, modelPath, checkpoints, chartPath, summaryPath);
        await WriteSummaryAsync(plan, result, last, cancellationToken);

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Final test accuracy: {Units.Percent(accuracy)} (loss {Units.Number(loss)}) at step {model.Version}"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wall time: {Units.Duration(result.WallTime.TotalSeconds)} (training {Units.Duration(trainingTime.TotalSeconds)}), " +
            $"{Units.Rate(stepsPerSecond)} steps/s, {Units.Bytes(bytes)} moved"));
        _output.WriteLine($"Model: {modelPath}");
        foreach (string checkpoint in checkpoints)
        {
            _output.WriteLine($"Checkpoint: {checkpoint}");
        }

        _output.WriteLine($"Chart: {chartPath}");
        return result;
    }

    private static async Task WriteSummaryAsync(
        TrainPlan plan,
        TrainResult result,
        ProgressSnapshot? last,
        CancellationToken cancellationToken)
    {
        var summary = new
        {
            jobId = plan.Job.JobId,
            shards = plan.Settings.Shards,
            workers = plan.Settings.Workers,
            consistency = TrainOptionCatalog.NameOf(plan.Settings.Consistency),
            finalAccuracy = result.FinalAccuracy,
            finalLoss = result.FinalLoss,
            finalVersion = result.FinalVersion,
            lastReportedAccuracy = last?.TestAccuracy,
            wallSeconds = result.WallTime.TotalSeconds,
            trainingSeconds = result.TrainingTime.TotalSeconds,
            stepsPerSecond = result.StepsPerSecond,
            bytesMoved = result.BytesMoved,
            model = result.ModelPath,
            checkpoints = result.Checkpoints,
            chart = result.ChartPath,
        };
        await File.WriteAllTextAsync(
            result.SummaryPath,
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }),
            cancellationToken);
    }
}
