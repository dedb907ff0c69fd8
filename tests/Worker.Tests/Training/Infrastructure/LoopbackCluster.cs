using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Real shards in this process on 127.0.0.1, each on its own free port, that a test can stop and restart.</summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly RunningShard?[] _shards;
    private readonly int[] _ports;
    private readonly double _heartbeatTimeoutSeconds;

    private LoopbackCluster(int count, double heartbeatTimeoutSeconds)
    {
        _shards = new RunningShard?[count];
        _ports = new int[count];
        _heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
    }

    public IReadOnlyList<Uri> Endpoints => _ports.Select(p => new Uri($"http://127.0.0.1:{p}")).ToArray();

    public static async Task<LoopbackCluster> StartAsync(int count, double heartbeatTimeoutSeconds = 30)
    {
        var cluster = new LoopbackCluster(count, heartbeatTimeoutSeconds);
        for (int i = 0; i < count; i++)
        {
            await cluster.StartShardAsync(i, port: 0);
        }

        return cluster;
    }

    /// <summary>Creates <paramref name="job"/> on every shard, or on <paramref name="onlyShard"/> alone.</summary>
    public async Task CreateJobAsync(JobSpec job, int? onlyShard = null)
    {
        foreach (Uri endpoint in onlyShard is { } index ? [Endpoints[index]] : Endpoints)
        {
            using var client = NewClient(endpoint, new ShardClientOptions());
            await client.CreateJobAsync(job, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        }
    }

    public Task StopShardAsync(int index)
    {
        RunningShard shard = _shards[index] ?? throw new InvalidOperationException($"Shard {index} is not running.");
        _shards[index] = null;
        return shard.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);
    }

    /// <summary>Starts shard <paramref name="index"/> again on its old port, without any job.</summary>
    public Task RestartShardAsync(int index) => StartShardAsync(index, _ports[index]);

    public async Task<ShardStatus> StatusAsync(int index, string jobId)
    {
        using var client = NewClient(Endpoints[index], new ShardClientOptions());
        return await client.GetStatusAsync(jobId, CancellationToken.None).WaitAsync(TestTimeouts.Default);
    }

    /// <summary>Creates a worker's view of every shard.</summary>
    public ShardGroup NewGroup(
        string jobId,
        string workerName,
        ShardClientOptions options,
        ILogger logger,
        JobSpec? initialJob = null,
        bool evaluator = false)
    {
        var clients = Endpoints.Select((e, i) => new ShardClient(i, e, options, logger, TimeProvider.System)).ToList();
        return new ShardGroup(clients, jobId, workerName, evaluator, initialJob, logger, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < _shards.Length; i++)
        {
            if (_shards[i] is { } shard)
            {
                _shards[i] = null;
                await shard.DisposeAsync();
            }
        }
    }

    private static ShardClient NewClient(Uri endpoint, ShardClientOptions options) =>
        new(0, endpoint, options with { MaxRetries = 0 }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TimeProvider.System);

    private async Task StartShardAsync(int index, int port)
    {
        var options = new ShardOptions
        {
            Index = index,
            Count = _shards.Length,
            ListenAddress = "127.0.0.1",
            Port = port,
            MetricsPort = -1,
            HeartbeatTimeoutSeconds = _heartbeatTimeoutSeconds,
            ShutdownTimeoutSeconds = 2,
        };
        RunningShard shard = await ShardHost.StartAsync(options, builder =>
            builder.Logging.SetMinimumLevel(LogLevel.Warning)).WaitAsync(TestTimeouts.Default);
        _shards[index] = shard;
        _ports[index] = new Uri(shard.Address).Port;
    }
}
