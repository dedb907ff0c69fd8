using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Tests.Training.Infrastructure;
using Polly.CircuitBreaker;

namespace ParamServer.Worker.Tests.Training;

/// <summary>Retries, per-attempt deadlines and the circuit breaker of one shard client, against real endpoints.</summary>
public sealed class ShardClientResilienceTests
{
    [Fact]
    public async Task GetStatus_ShardRestarted_RetriesUntilUp()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(1);
        Uri endpoint = cluster.Endpoints[0];
        await cluster.StopShardAsync(0);
        var logger = new RecordingLogger();
        var options = new ShardClientOptions
        {
            MaxRetries = 100,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            BreakerBreakDuration = TimeSpan.FromMilliseconds(500),
        };
        using var client = new ShardClient(0, endpoint, options, logger, TimeProvider.System);

        Task<ShardStatus> call = client.GetStatusAsync(string.Empty, CancellationToken.None);
        await logger.WhenLogged(5101).WaitAsync(TestTimeouts.Default);
        await cluster.RestartShardAsync(0);
        ShardStatus status = await call.WaitAsync(TestTimeouts.Default);

        Assert.Equal(0, status.ShardIndex);
        Assert.Equal(1, status.NumShards);
        (EventId Id, LogLevel Level, string Message) retry = logger.Entries.First(e => e.Id.Id == 5101);
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.StartsWith("Retrying GetStatus on shard 0 at step -1: attempt 1 failed with Unavailable", retry.Message);
    }

    [Fact]
    public async Task Calls_NothingListening_BreakerOpens()
    {
        var logger = new RecordingLogger();
        var options = new ShardClientOptions
        {
            MaxRetries = 0,
            BreakerMinimumThroughput = 2,
            BreakerFailureRatio = 0.5,
            BreakerBreakDuration = TimeSpan.FromSeconds(60),
        };
        using var client = new ShardClient(3, new Uri($"http://127.0.0.1:{FreePort()}"), options, logger, TimeProvider.System);

        for (int i = 0; i < 2; i++)
        {
            RpcException failure = await Assert.ThrowsAsync<RpcException>(
                () => client.GetStatusAsync(string.Empty, CancellationToken.None).WaitAsync(TestTimeouts.Default));
            Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(
            () => client.GetStatusAsync(string.Empty, CancellationToken.None).WaitAsync(TestTimeouts.Default));
        Assert.Equal(1, logger.Count(5102));
        Assert.StartsWith(
            "Circuit breaker of shard 3 opened at step -1 for 60000 ms after GetStatus failed",
            logger.Entries.Single(e => e.Id.Id == 5102).Message);
        Assert.Equal(0, logger.Count(5101));
    }

    [Fact]
    public async Task Pull_AttemptsPastDeadline_RetriedThenDeadlineExceeded()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(1);
        JobSpec job = TestJobs.Softmax("deadline", shards: 1);
        await cluster.CreateJobAsync(job);
        var logger = new RecordingLogger();
        var options = new ShardClientOptions
        {
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            StepTimeout = TimeSpan.FromMilliseconds(200),
            BreakerMinimumThroughput = 100,
        };
        using var client = new ShardClient(0, cluster.Endpoints[0], options, logger, TimeProvider.System);
        var weights = new float[36];

        // Version 1000 never comes, so every attempt runs into its deadline.
        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => client.PullAsync(
                new PullRequest { JobId = job.JobId, MinVersion = 1000 },
                new ParamServer.Sharding.ShardRange(0, 36),
                weights,
                CancellationToken.None)
            .WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Equal(2, logger.Count(5101));
        Assert.All(
            logger.Entries.Where(e => e.Id.Id == 5101),
            e => Assert.Contains("Retrying Pull on shard 0 at step 0", e.Message));
    }

    [Fact]
    public async Task Register_UnknownJob_FailsWithoutRetry()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(1);
        var logger = new RecordingLogger();
        using var client = new ShardClient(0, cluster.Endpoints[0], new ShardClientOptions(), logger, TimeProvider.System);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => client
            .RegisterAsync(new RegisterRequest { JobId = "missing", WorkerName = "w" }, CancellationToken.None)
            .WaitAsync(TestTimeouts.Default));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Equal(0, logger.Count(5101));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
