using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Logging;
using ParamServer.Psctl.Rpc;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Cluster;

/// <summary>
/// A parameter-server cluster on this machine: S shard processes listening on loopback ports chosen by the
/// operating system and W worker processes, all children of this process. Starting waits for each shard's
/// ready file and health service, then creates the job on every shard. Disposing stops the workers, then the
/// shards (SIGTERM, then a kill of the process tree after the grace period), so no process outlives it.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly TrainPlan _plan;
    private readonly ClusterPrograms _programs;
    private readonly ILogger _logger;
    private readonly ChildProcess?[] _shards;
    private readonly Uri?[] _endpoints;
    private readonly ShardConnection?[] _connections;
    private readonly List<ChildProcess> _workers = [];
    private readonly HashSet<ChildProcess> _evaluators = [];
    private readonly object _workersLock = new();
    private int _nextWorkerOrdinal;
    private int _shardStarts;

    private LocalCluster(TrainPlan plan, ClusterPrograms programs, string runDirectory, string dataDirectory, ILogger logger)
    {
        _plan = plan;
        _programs = programs;
        RunDirectory = runDirectory;
        DataDirectory = dataDirectory;
        _logger = logger;
        _shards = new ChildProcess?[plan.Settings.Shards];
        _endpoints = new Uri?[plan.Settings.Shards];
        _connections = new ShardConnection?[plan.Settings.Shards];
    }

    public string RunDirectory { get; }

    public string DataDirectory { get; }

    public TrainPlan Plan => _plan;

    /// <summary>Checkpoint root every shard writes under: --checkpoint-dir, or checkpoints/ in the run directory.</summary>
    public string CheckpointDirectory =>
        Path.GetFullPath(_plan.Settings.CheckpointDirectory ?? Path.Combine(RunDirectory, "checkpoints"));

    /// <summary>Shard endpoints in shard-index order, such as http://127.0.0.1:43211.</summary>
    public IReadOnlyList<Uri> ShardEndpoints => _endpoints.Select(e => e!).ToArray();

    /// <summary>Connections to the shards in index order; they carry the cluster's auth token.</summary>
    public IReadOnlyList<ShardConnection> Connections => _connections.Select(c => c!).ToArray();

    /// <summary>The current process of each shard, in index order.</summary>
    public IReadOnlyList<ChildProcess> Shards => _shards.Select(s => s!).ToArray();

    /// <summary>The evaluator processes started so far.</summary>
    public IReadOnlyList<ChildProcess> Evaluators
    {
        get
        {
            lock (_workersLock)
            {
                return _evaluators.ToArray();
            }
        }
    }

    /// <summary>Every worker process started so far, evaluators included, also ones that exited or were killed.</summary>
    public IReadOnlyList<ChildProcess> Workers
    {
        get
        {
            lock (_workersLock)
            {
                return _workers.ToArray();
            }
        }
    }

    /// <summary>
    /// Starts the shards, waits until each is ready and healthy, creates the job on every shard and, when
    /// <paramref name="startWorkers"/> is set, starts the workers the plan asks for.
    /// </summary>
    /// <exception cref="ClusterException">A process failed to start or did not become healthy in time.</exception>
    public static async Task<LocalCluster> StartAsync(
        TrainPlan plan,
        ClusterPrograms programs,
        string runDirectory,
        string dataDirectory,
        ILogger logger,
        CancellationToken cancellationToken,
        bool startWorkers = true)
    {
        var cluster = new LocalCluster(plan, programs, Path.GetFullPath(runDirectory), dataDirectory, logger);
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(TimeSpan.FromSeconds(plan.Settings.StartupTimeoutSeconds));
            try
            {
                await Task.WhenAll(Enumerable.Range(0, plan.Settings.Shards)
                    .Select(i => cluster.StartShardAsync(i, port: 0, startup.Token)));
                await cluster.CreateJobAsync(startup.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClusterException(
                    $"The shards were not ready and healthy within {plan.Settings.StartupTimeoutSeconds} s " +
                    $"(--startup-timeout); logs are in {cluster.RunDirectory}.");
            }

            if (startWorkers)
            {
                for (int i = 0; i < plan.Settings.Workers; i++)
                {
                    cluster.StartWorker();
                }

                if (plan.Settings.Evaluator == EvaluatorPlacement.Dedicated)
                {
                    cluster.StartWorker(evaluator: true);
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more worker process, named the worker name prefix plus a running ordinal; an evaluator is named
    /// "evaluator-" plus the ordinal, trains nothing and is not waited for by <see cref="WaitForWorkersAsync"/>.
    /// </summary>
    public ChildProcess StartWorker(bool evaluator = false)
    {
        int ordinal = Interlocked.Increment(ref _nextWorkerOrdinal) - 1;
        TrainSettings s = _plan.Settings;
        string name = (evaluator ? "evaluator-" : s.WorkerNamePrefix) + ordinal.ToString(CultureInfo.InvariantCulture);
        Dictionary<string, string?> environment = ClusterEnvironment.ForWorker(
            s, ShardEndpoints, name, evaluator, ordinal, DataDirectory);
        ChildProcess worker = ChildProcess.Start(
            name,
            _programs.DotnetHost,
            [_programs.WorkerProgram],
            environment,
            Path.Combine(RunDirectory, "logs", name + ".log"),
            _logger);
        RecordPid(worker);
        lock (_workersLock)
        {
            _workers.Add(worker);
            if (evaluator)
            {
                _evaluators.Add(worker);
            }
        }

        return worker;
    }

    /// <summary>Kills shard <paramref name="index"/> at once, as a crash would (SIGKILL of its process tree).</summary>
    public void KillShard(int index) => _shards[index]!.Kill();

    /// <summary>
    /// Starts shard <paramref name="index"/> again on the port it had, so workers reach it at the same address,
    /// waits until it is healthy, and creates the job on it if it did not restore the job from a checkpoint.
    /// </summary>
    public async Task RestartShardAsync(int index, CancellationToken cancellationToken)
    {
        ChildProcess? previous = _shards[index];
        if (previous is not null)
        {
            await previous.StopAsync(TimeSpan.FromSeconds(_plan.Settings.StopTimeoutSeconds));
            await previous.DisposeAsync();
        }

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromSeconds(_plan.Settings.StartupTimeoutSeconds));
        await StartShardAsync(index, _endpoints[index]!.Port, startup.Token);
        ShardConnection connection = _connections[index]!;
        await connection.Shard.CreateJobAsync(new CreateJobRequest { Job = _plan.Job }, connection.CallOptions(startup.Token));
    }

    /// <summary>
    /// Completes when every training worker started so far (evaluators aside) has exited; returns their names and
    /// exit codes. A worker started while waiting is waited for too.
    /// </summary>
    /// <exception cref="ClusterException">A shard process exited while the workers were running.</exception>
    public async Task<IReadOnlyList<(string Name, int ExitCode)>> WaitForWorkersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ChildProcess[] workers = TrainingWorkers();
            Task<int>[] exits = workers.Select(w => w.Exited).ToArray();
            Task<int[]> all = Task.WhenAll(exits);
            Task shardDown = Task.WhenAny(Shards.Select(s => s.Exited));
            Task finished = await Task.WhenAny(all, shardDown).WaitAsync(cancellationToken);
            if (finished == shardDown)
            {
                ChildProcess dead = Shards.First(s => s.HasExited);
                throw new ClusterException(
                    $"{dead.Name} exited with code {dead.Exited.Result} while training; log {dead.LogPath}:\n{dead.Tail()}");
            }

            if (TrainingWorkers().Length == workers.Length)
            {
                return workers.Select(w => (w.Name, w.Exited.Result)).ToArray();
            }
        }
    }

    /// <summary>Stops every worker, then every shard; each gets SIGTERM and the stop timeout before a kill.</summary>
    public async ValueTask DisposeAsync()
    {
        var grace = TimeSpan.FromSeconds(_plan.Settings.StopTimeoutSeconds);
        await Task.WhenAll(Workers.Select(w => w.StopAsync(grace)));
        await Task.WhenAll(_shards.Where(s => s is not null).Select(s => s!.StopAsync(grace)));
        foreach (ChildProcess child in Workers.Concat(_shards.Where(s => s is not null).Select(s => s!)))
        {
            await child.DisposeAsync();
        }

        foreach (ShardConnection? connection in _connections)
        {
            connection?.Dispose();
        }
    }

    private void RecordPid(ChildProcess child)
    {
        lock (_workersLock)
        {
            File.AppendAllText(
                Path.Combine(RunDirectory, "pids"),
                string.Create(CultureInfo.InvariantCulture, $"{child.Name} {child.Id}\n"));
        }
    }

    private ChildProcess[] TrainingWorkers()
    {
        lock (_workersLock)
        {
            return _workers.Where(w => !_evaluators.Contains(w)).ToArray();
        }
    }

    private async Task StartShardAsync(int index, int port, CancellationToken cancellationToken)
    {
        TrainSettings s = _plan.Settings;
        int start = Interlocked.Increment(ref _shardStarts);
        string name = "shard-" + index.ToString(CultureInfo.InvariantCulture);
        string readyFile = Path.Combine(RunDirectory, "ready", $"{name}.{start}.endpoint");
        Directory.CreateDirectory(Path.GetDirectoryName(readyFile)!);
        File.Delete(readyFile);

        Dictionary<string, string?> environment = ClusterEnvironment.ForShard(
            s, index, port, readyFile, CheckpointDirectory);
        ChildProcess shard = ChildProcess.Start(
            name,
            _programs.DotnetHost,
            [_programs.ShardProgram],
            environment,
            Path.Combine(RunDirectory, "logs", name + ".log"),
            _logger);
        _shards[index] = shard;
        RecordPid(shard);

        Uri endpoint = await WaitForReadyFileAsync(shard, readyFile, cancellationToken);
        _endpoints[index] = endpoint;
        _connections[index]?.Dispose();
        var connection = new ShardConnection(endpoint, s.AuthToken, TimeSpan.FromSeconds(30));
        _connections[index] = connection;
        await WaitForHealthAsync(shard, connection, cancellationToken);
        PsctlLog.ShardReady(_logger, index, endpoint.ToString(), shard.Id);
    }

    private async Task CreateJobAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Connections.Select(async (connection, index) =>
        {
            try
            {
                CreateJobResponse response = await connection.Shard.CreateJobAsync(
                    new CreateJobRequest { Job = _plan.Job }, connection.CallOptions(cancellationToken));
                PsctlLog.JobCreated(_logger, _plan.Job.JobId, index, response.Created);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
            {
                throw new ClusterException(
                    $"CreateJob for job '{_plan.Job.JobId}' failed on shard {index} ({connection.Endpoint}): " +
                    $"{ex.StatusCode}: {ex.Status.Detail}", ex);
            }
        }));
    }

    private static async Task<Uri> WaitForReadyFileAsync(
        ChildProcess shard,
        string readyFile,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (File.Exists(readyFile))
            {
                string text = (await File.ReadAllTextAsync(readyFile, cancellationToken)).Trim();
                if (Uri.TryCreate(text, UriKind.Absolute, out Uri? endpoint) && endpoint.Port > 0)
                {
                    return endpoint;
                }
            }

            ThrowIfExited(shard, "before it wrote its ready file");

            // The shard writes the file once Kestrel is listening; wake on its exit or every 50 ms to look again.
            await Task.WhenAny(shard.Exited, Task.Delay(50, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async Task WaitForHealthAsync(
        ChildProcess shard,
        ShardConnection connection,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                HealthCheckResponse response = await connection.Health.CheckAsync(
                    new HealthCheckRequest { Service = ShardConnection.HealthServiceName },
                    connection.CallOptions(cancellationToken, TimeSpan.FromSeconds(2)));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                                              or StatusCode.NotFound)
            {
                // Not serving yet: the health service reports NOT_FOUND until the service is registered.
            }

            ThrowIfExited(shard, "before it reported healthy");
            await Task.WhenAny(shard.Exited, Task.Delay(100, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static void ThrowIfExited(ChildProcess process, string when)
    {
        if (process.HasExited)
        {
            throw new ClusterException(
                $"{process.Name} exited with code {process.Exited.Result} {when}; log {process.LogPath}:\n{process.Tail()}");
        }
    }
}
