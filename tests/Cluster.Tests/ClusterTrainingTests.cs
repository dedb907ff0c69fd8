using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Psctl.Cluster;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Training;

namespace ParamServer.Cluster.Tests;

/// <summary>
/// End-to-end runs of the local cluster that <c>psctl train</c> starts: real shard and worker processes on
/// loopback, trained on the real MNIST files, which are found or fetched exactly as psctl train does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTrainingTests : IDisposable
{
    /// <summary>Test accuracy one synchronous epoch of the default job must reach; it measured 0.956 here.</summary>
    private const double OneEpochAccuracy = 0.93;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _runDirectory = Directory.CreateTempSubdirectory("psctl-cluster-");

    public void Dispose() => _runDirectory.Delete(recursive: true);

    [Fact]
    public async Task Train_OneEpoch_ReachesAccuracyAndStopsEveryProcess()
    {
        TrainPlan plan = Plan("--epochs", "1");
        var output = new StringWriter();
        var runner = new TrainRunner(NullLogger.Instance, output, interactive: false, TimeProvider.System);
        var processes = new List<ChildProcess>();
        using var timeout = new CancellationTokenSource(RunTimeout);

        TrainResult result = await runner.RunAsync(plan, timeout.Token, cluster => processes.AddRange(
            cluster.Shards.Concat(cluster.Workers)));

        Assert.True(result.FinalAccuracy >= OneEpochAccuracy, $"accuracy {result.FinalAccuracy}; output:\n{output}");
        Assert.Equal(plan.ExpectedVersions, result.FinalVersion);
        Assert.True(result.BytesMoved > 0);
        Assert.True(File.Exists(result.ModelPath));
        Assert.Equal(2, result.Checkpoints.Count);
        Assert.All(result.Checkpoints, path => Assert.True(File.Exists(path), path));
        Assert.Equal(PngSignature, File.ReadAllBytes(result.ChartPath)[..8]);
        Assert.True(File.Exists(result.SummaryPath));
        Assert.Equal(5, processes.Count);
        Assert.All(processes, process => Assert.True(process.HasExited, process.Name));
        Assert.Equal(0, ChildProcess.LiveCount);
    }

    [Fact]
    public async Task Train_Cancelled_StopsEveryProcess()
    {
        TrainPlan plan = Plan("--epochs", "5");
        var runner = new TrainRunner(NullLogger.Instance, TextWriter.Null, interactive: false, TimeProvider.System);
        var processes = new List<ChildProcess>();
        using var cancellation = new CancellationTokenSource(RunTimeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(plan, cancellation.Token, cluster =>
        {
            processes.AddRange(cluster.Shards.Concat(cluster.Workers));
            cancellation.Cancel();
        }));

        Assert.Equal(5, processes.Count);
        Assert.All(processes, process => Assert.True(process.HasExited, process.Name));
        Assert.Equal(0, ChildProcess.LiveCount);
    }

    private static byte[] PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private TrainPlan Plan(params string[] args)
    {
        string[] all = [.. args, "--run-dir", _runDirectory.FullName, "--quiet", "--stop-timeout", "5"];
        return TrainPlan.Create(TrainCommand.ParseSettings(all, TextWriter.Null)!);
    }
}
