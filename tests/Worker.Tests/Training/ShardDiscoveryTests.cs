using System.Net;
using Microsoft.Extensions.Logging;
using ParamServer.Server.Hosting;
using ParamServer.Worker.Client;
using ParamServer.Worker.Tests.Training.Infrastructure;

namespace ParamServer.Worker.Tests.Training;

public sealed class ShardDiscoveryTests
{
    [Fact]
    public async Task Discover_AddressesOutOfOrder_ReturnsShardIndexOrder()
    {
        // Two shards on one port, one per loopback address, as a headless service gives one address per pod.
        await using RunningShard first = await StartShardAsync(index: 0, "127.0.0.1", port: 0);
        int port = new Uri(first.Address).Port;
        await using RunningShard second = await StartShardAsync(index: 1, "::1", port);
        var logger = new RecordingLogger();
        var discovery = new ShardDiscovery(
            new ShardClientOptions(),
            logger,
            TimeProvider.System,
            resolve: (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }));

        IReadOnlyList<Uri> endpoints = await discovery
            .DiscoverAsync($"shards.test:{port}", TimeSpan.FromSeconds(30), CancellationToken.None)
            .WaitAsync(TestTimeouts.Default);

        Assert.Equal([new Uri($"http://127.0.0.1:{port}"), new Uri($"http://[::1]:{port}")], endpoints);
        Assert.Equal(1, logger.Count(5109));
    }

    [Fact]
    public async Task Discover_ShardMissing_TimesOutNamingIndexes()
    {
        await using RunningShard only = await StartShardAsync(index: 1, "127.0.0.1", port: 0);
        int port = new Uri(only.Address).Port;
        var discovery = new ShardDiscovery(
            new ShardClientOptions(),
            new RecordingLogger(),
            TimeProvider.System,
            resolve: (_, _) => Task.FromResult(new[] { IPAddress.Loopback }))
        {
            RetryInterval = TimeSpan.FromMilliseconds(50),
        };

        var error = await Assert.ThrowsAsync<TimeoutException>(() => discovery
            .DiscoverAsync($"shards.test:{port}", TimeSpan.FromMilliseconds(300), CancellationToken.None)
            .WaitAsync(TestTimeouts.Default));

        Assert.Equal(
            $"Shard discovery through Worker:ShardsDns 'shards.test:{port}' did not complete within 0.3 s: " +
            "found shard indexes [1] of 2.",
            error.Message);
    }

    [Fact]
    public void ParseList_BareHostPort_GetsHttpScheme()
    {
        IReadOnlyList<Uri> endpoints = ShardDiscovery.ParseList(" 10.0.0.5:50051 , https://shard-1.example:443");

        Assert.Equal([new Uri("http://10.0.0.5:50051"), new Uri("https://shard-1.example:443")], endpoints);
    }

    private static Task<RunningShard> StartShardAsync(int index, string address, int port) =>
        ShardHost.StartAsync(
            new ShardOptions { Index = index, Count = 2, ListenAddress = address, Port = port, MetricsPort = -1 },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)).WaitAsync(TestTimeouts.Default);
}
