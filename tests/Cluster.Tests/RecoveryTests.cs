using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cluster;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Data;
using ParamServer.Psctl.Models;
using ParamServer.Psctl.Rpc;
using ParamServer.Psctl.Training;

namespace ParamServer.Cluster.Tests;

/// <summary>
/// Fault tolerance of a real local cluster: shard and worker processes killed with SIGKILL mid-training and
/// started again, and shards on their own network hosts whose links are cut. Every run trains on the real MNIST
/// files, found or fetched as psctl train does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoveryTests : IDisposable
{
    /// <summary>Test accuracy the job must still reach after a shard crash.</summary>
    private const double RequiredAccuracy = 0.97;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _runDirectory = Directory.CreateTempSubdirectory("ps-recovery-");

    public void Dispose() => _runDirectory.Delete(recursive: true);

    [Fact]
    public async Task KillShard_MidTraining_RestoresAndReachesAccuracy()
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        CancellationToken cancellation = timeout.Token;
        TrainPlan plan = Plan("--epochs", "2", "--batch-size", "64", "--checkpoint-every-steps", "100");
        string data = await MnistAsync(cancellation);
        await using LocalCluster cluster = await StartAsync(plan, data, cancellation);

        await WaitForVersionAsync(cluster.Connections[0], plan.Job.JobId, 330, cancellation);
        cluster.KillShard(1);
        int killedExit = await cluster.Shards[1].Exited.WaitAsync(cancellation);
        await cluster.RestartShardAsync(1, cancellation);

        JobStatus restarted = await StatusAsync(cluster.Connections[1], plan.Job.JobId, cancellation);
        Assert.NotEqual(0, killedExit);
        Assert.True(restarted.Checkpoint.Restored, "shard 1 did not restore from a checkpoint");
        Assert.True(restarted.Checkpoint.RestoredVersion >= 300, $"restored at {restarted.Checkpoint.RestoredVersion}");

        await WaitForTrainersAsync(cluster, expectedExits: plan.Settings.Workers, cancellation);
        JobStatus[] final = await Task.WhenAll(cluster.Connections.Select(c => StatusAsync(c, plan.Job.JobId, cancellation)));
        Assert.True(final[0].Version >= plan.ExpectedVersions, $"shard 0 ended at version {final[0].Version}");
        Assert.Equal(final[0].Version, final[1].Version);
        double accuracy = await EvaluateAsync(cluster, plan, data, cancellation);
        Assert.True(accuracy >= RequiredAccuracy, $"test accuracy {accuracy:F4} after the shard restart");
    }

    [Fact]
    public async Task KillWorker_Replaced_JobFinishes()
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        CancellationToken cancellation = timeout.Token;
        TrainPlan plan = Plan("--epochs", "2", "--heartbeat-timeout", "10", "--layers", "784,128,10");
        string data = await MnistAsync(cancellation);
        await using LocalCluster cluster = await StartAsync(plan, data, cancellation);

        await WaitForVersionAsync(cluster.Connections[0], plan.Job.JobId, 100, cancellation);
        ChildProcess victim = cluster.Workers[1];
        victim.Kill();
        await victim.Exited.WaitAsync(cancellation);
        ChildProcess replacement = cluster.StartWorker();

        IReadOnlyList<(string Name, int ExitCode)> exits =
            await WaitForTrainersAsync(cluster, expectedExits: 3, cancellation, killed: [victim.Name]);

        Assert.Contains(exits, e => e.Name == replacement.Name && e.ExitCode == 0);
        Assert.Contains(exits, e => e.Name == cluster.Workers[0].Name && e.ExitCode == 0);
        JobStatus status = await StatusAsync(cluster.Connections[0], plan.Job.JobId, cancellation);
        Assert.True(status.Evictions >= 1, "the killed worker was never evicted");
        Assert.True(status.Version > 100, $"version {status.Version}");
        double accuracy = await EvaluateAsync(cluster, plan, data, cancellation);
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy:F4} after replacing a worker");

        // SIGTERM: the shard writes a checkpoint of the final version before it exits (no periodic ones are set).
        ChildProcess shard = cluster.Shards[0];
        await shard.StopAsync(TimeSpan.FromSeconds(20)).WaitAsync(cancellation);
        Assert.Equal(0, await shard.Exited.WaitAsync(cancellation));
        string directory = CheckpointPaths.ShardDirectory(cluster.CheckpointDirectory, plan.Job.JobId, 0, 2);
        CheckpointFileInfo written = Assert.Single(CheckpointCatalog.List(directory));
        Assert.Equal(status.Version, written.Version);
        Assert.Equal(status.Version, CheckpointFile.Read(written.Path).Version);
    }

    [RecoveryNamespaceFact]
    public async Task CutShardLink_SeparateHosts_WorkersRideThrough()
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        CancellationToken cancellation = timeout.Token;
        await using var hosts = await RecoveryNetworkNamespaces.CreateAsync(shards: 2, cancellation);
        TrainPlan plan = Plan(
            "--epochs", "1", "--layers", "784,128,10", "--dotnet", hosts.LauncherPath, "--call-timeout", "5");
        string data = await MnistAsync(cancellation);
        await using LocalCluster cluster = await StartAsync(plan, data, cancellation);
        Assert.All(cluster.ShardEndpoints, (endpoint, index) => Assert.Equal(hosts.ShardAddress(index), endpoint.Host));

        await WaitForVersionAsync(cluster.Connections[0], plan.Job.JobId, 60, cancellation);
        long cutAt = (await StatusAsync(cluster.Connections[1], plan.Job.JobId, cancellation)).Version;
        await hosts.SetLinkAsync(1, up: false, cancellation);
        await Task.Delay(TimeSpan.FromSeconds(4), cancellation);
        await hosts.SetLinkAsync(1, up: true, cancellation);

        IReadOnlyList<(string Name, int ExitCode)> exits =
            await WaitForTrainersAsync(cluster, expectedExits: plan.Settings.Workers, cancellation);
        Assert.All(exits, e => Assert.Equal(0, e.ExitCode));
        JobStatus[] final = await Task.WhenAll(cluster.Connections.Select(c => StatusAsync(c, plan.Job.JobId, cancellation)));
        Assert.True(final[1].Version >= plan.ExpectedVersions, $"shard 1 ended at version {final[1].Version}");
        Assert.True(final[1].Version > cutAt);
        Assert.Equal(final[0].Version, final[1].Version);
    }

    private TrainPlan Plan(params string[] args)
    {
        string[] all =
        [
            "--shards", "2", "--workers", "2", "--evaluator", "none", .. args,
            "--run-dir", _runDirectory.FullName, "--quiet", "--stop-timeout", "5",
        ];
        return TrainPlan.Create(TrainCommand.ParseSettings(all, TextWriter.Null)!);
    }

    private static Task<string> MnistAsync(CancellationToken cancellation) =>
        new MnistCache(NullLogger.Instance).EnsureAsync(null, null, "npm", cancellation);

    private Task<LocalCluster> StartAsync(TrainPlan plan, string data, CancellationToken cancellation)
    {
        ClusterPrograms programs = ClusterPrograms.Resolve(null, null, plan.Settings.DotnetHost);
        return LocalCluster.StartAsync(plan, programs, _runDirectory.FullName, data, NullLogger.Instance, cancellation);
    }

    /// <summary>Blocks on a Pull that the shard completes once its version reaches <paramref name="version"/>.</summary>
    private static async Task WaitForVersionAsync(
        ShardConnection shard,
        string jobId,
        long version,
        CancellationToken cancellation)
    {
        using AsyncServerStreamingCall<WeightsMessage> pull = shard.Shard.Pull(
            new PullRequest { JobId = jobId, MinVersion = version },
            shard.CallOptions(cancellation, TimeSpan.FromMinutes(2)));
        Assert.True(await pull.ResponseStream.MoveNext(cancellation), $"the pull for version {version} ended empty");
        Assert.True(pull.ResponseStream.Current.Header.Version >= version);
    }

    private static async Task<JobStatus> StatusAsync(ShardConnection shard, string jobId, CancellationToken cancellation)
    {
        ShardStatus status = await shard.Operator.GetStatusAsync(
            new StatusRequest { JobId = jobId }, shard.CallOptions(cancellation));
        return status.Jobs.Single();
    }

    /// <summary>
    /// Waits until <paramref name="expectedExits"/> training workers have exited and returns their exit codes;
    /// fails at once when a worker other than the <paramref name="killed"/> ones exits with an error.
    /// </summary>
    private static async Task<IReadOnlyList<(string Name, int ExitCode)>> WaitForTrainersAsync(
        LocalCluster cluster,
        int expectedExits,
        CancellationToken cancellation,
        IReadOnlyCollection<string>? killed = null)
    {
        ChildProcess[] trainers = [.. cluster.Workers.Where(w => !cluster.Evaluators.Contains(w))];
        Assert.Equal(expectedExits, trainers.Length);
        int[] codes = await Task.WhenAll(trainers.Select(w => w.Exited)).WaitAsync(cancellation);
        for (int i = 0; i < trainers.Length; i++)
        {
            bool expectedToFail = killed?.Contains(trainers[i].Name) == true;
            Assert.True(expectedToFail || codes[i] == 0,
                $"{trainers[i].Name} exited with code {codes[i]}; log {trainers[i].LogPath}:\n{trainers[i].Tail()}");
        }

        return [.. trainers.Select((w, i) => (w.Name, codes[i]))];
    }

    private static async Task<double> EvaluateAsync(
        LocalCluster cluster,
        TrainPlan plan,
        string data,
        CancellationToken cancellation)
    {
        FinalModel model = await ModelCollector.PullAsync(cluster.Connections, plan.Job, cancellation);
        MnistTestSet test = MnistTestSet.Load(data);
        return MlpEvaluator.Evaluate(model, test.Pixels, test.Labels, test.Count).Accuracy;
    }
}
