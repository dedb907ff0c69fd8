using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Transport;
using ParamServer.Worker.Client;

namespace ParamServer.Bench.Transport;

/// <summary>
/// Real shards started in this process with <see cref="ShardHost"/>, each listening on 127.0.0.1 with a free port,
/// so the benchmarks measure the same Kestrel, gRPC and job code as the ParameterServer executable.
/// </summary>
internal sealed class LoopbackShards : IAsyncDisposable
{
    private readonly RunningShard[] _shards;

    private LoopbackShards(RunningShard[] shards)
    {
        _shards = shards;
    }

    public int Count => _shards.Length;

    public IReadOnlyList<Uri> Endpoints => _shards.Select(s => new Uri(s.Address)).ToArray();

    /// <summary>
    /// Starts <paramref name="count"/> shards of one cluster, logging warnings and errors only, with
    /// <paramref name="chunkBytes"/> per weights chunk (0 keeps the shard's default, 1 MiB).
    /// </summary>
    public static async Task<LoopbackShards> StartAsync(int count, CancellationToken cancellationToken, int chunkBytes = 0)
    {
        var shards = new List<RunningShard>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var options = new ShardOptions
                {
                    Index = i,
                    Count = count,
                    ListenAddress = "127.0.0.1",
                    Port = 0,
                    MetricsPort = -1,
                    HeartbeatTimeoutSeconds = 600,
                    ShutdownTimeoutSeconds = 2,
                };
                if (chunkBytes > 0)
                {
                    options.ChunkBytes = chunkBytes;
                }

                shards.Add(await ShardHost.StartAsync(
                    options,
                    builder => builder.Logging.SetMinimumLevel(LogLevel.Warning),
                    cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (RunningShard shard in shards)
            {
                await shard.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new LoopbackShards([.. shards]);
    }

    /// <summary>Creates <paramref name="job"/> on every shard over gRPC.</summary>
    public async Task CreateJobAsync(JobSpec job, CancellationToken cancellationToken)
    {
        for (int i = 0; i < _shards.Length; i++)
        {
            using var client = new ShardClient(
                i, new Uri(_shards[i].Address), new ShardClientOptions { MaxRetries = 0 }, NullLogger.Instance,
                TimeProvider.System);
            await client.CreateJobAsync(job, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A worker's view of every shard, with clients configured by <paramref name="options"/>. When the environment
    /// variable PARAMSERVER_BENCH_CLIENT_WINDOW is set, each client's channel starts with that HTTP/2 stream receive
    /// window in bytes instead of the worker's default channel, to compare flow-control settings.
    /// </summary>
    public ShardGroup NewGroup(string jobId, string workerName, ShardClientOptions options)
    {
        Func<Uri, GrpcChannel>? channelFactory = null;
        if (int.TryParse(Environment.GetEnvironmentVariable("PARAMSERVER_BENCH_CLIENT_WINDOW"), out int window))
        {
            channelFactory = uri => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    InitialHttp2StreamWindowSize = window,
                },
                MaxReceiveMessageSize = 2 * FloatPayload.MaxChunkBytes,
            });
        }

        var clients = Endpoints
            .Select((endpoint, i) =>
                new ShardClient(i, endpoint, options, NullLogger.Instance, TimeProvider.System, channelFactory))
            .ToList();
        return new ShardGroup(clients, jobId, workerName, false, null, NullLogger.Instance, TimeProvider.System);
    }

    /// <summary>The counters of <paramref name="jobId"/> on shard <paramref name="shard"/>, read in process.</summary>
    public JobCounters CountersOf(int shard, string jobId) =>
        _shards[shard].Services.GetRequiredService<JobRegistry>().Get(jobId).Counters;

    public async ValueTask DisposeAsync()
    {
        foreach (RunningShard shard in _shards)
        {
            await shard.DisposeAsync().ConfigureAwait(false);
        }
    }
}
