using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ParamServer.Deploy.Tests.Infrastructure;
using ParamServer.Server.Metrics;
using ParamServer.Worker.Metrics;

namespace ParamServer.Deploy.Tests.Metrics;

public sealed partial class MetricsScrapeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ShardScrape_AfterEachRecord_ListsEveryDocumentedShardMetric()
    {
        await using var app = await StartShardAsync();
        var metrics = app.Services.GetRequiredService<ShardMetrics>();
        metrics.RecordPush("job-a", PushOutcome.Applied);
        metrics.RecordPush("job-a", PushOutcome.NonFinite);
        metrics.RecordBytesReceived("job-a", 4096);
        metrics.RecordBytesSent("job-a", 8192);
        metrics.RecordStaleness("job-a", 2);
        metrics.RecordApply("job-a", TimeSpan.FromMilliseconds(3), newVersion: 41);
        metrics.SetLearningRate("job-a", 0.05);
        metrics.SetLiveWorkers("job-a", 3);
        metrics.RecordCheckpointWritten("job-a");
        metrics.RecordCheckpointFailed("job-a");
        metrics.RecordRejectedCall("/paramserver.v1.ShardOperator/Checkpoint", StatusCode.PermissionDenied);

        var scrape = await ScrapeAsync(await app.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout));

        var documented = DocumentedNames("paramserver_shard_");
        Assert.NotEmpty(documented);
        Assert.Equal(documented, Families(scrape, "paramserver_shard_"));
        Assert.Matches(@"paramserver_shard_pushes_total\{[^}]*job=""job-a"",outcome=""non_finite""\} 1\n", scrape);
        Assert.Matches(@"paramserver_shard_version\{[^}]*job=""job-a""\} 41\n", scrape);
        Assert.Matches(@"paramserver_shard_received_bytes_total\{[^}]*job=""job-a""\} 4096\n", scrape);
        Assert.Matches(@"paramserver_shard_workers_live\{[^}]*job=""job-a""\} 3\n", scrape);
    }

    [Fact]
    public async Task WorkerScrape_AfterEachRecord_ListsEveryDocumentedWorkerMetric()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:MetricsPort"] = "0",
            ["Worker:MetricsListenAddress"] = "127.0.0.1",
        });
        builder.AddWorkerMetrics();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);
        try
        {
            var metrics = host.Services.GetRequiredService<WorkerMetrics>();
            metrics.RecordStep("job-a", TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(5), loss: 0.75);
            metrics.RecordRetry("job-a", shardIndex: 1);
            metrics.RecordBytesSent("job-a", 100);
            metrics.RecordBytesReceived("job-a", 200);

            var scrape = await ScrapeAsync(await host.Services.GetWorkerMetricsAddressAsync().WaitAsync(Timeout));

            var documented = DocumentedNames("paramserver_worker_");
            Assert.NotEmpty(documented);
            Assert.Equal(documented, Families(scrape, "paramserver_worker_"));
            Assert.Matches(@"paramserver_worker_loss\{[^}]*job=""job-a""\} 0\.75\n", scrape);
            Assert.Matches(@"paramserver_worker_retries_total\{[^}]*job=""job-a"",shard=""1""\} 1\n", scrape);
            Assert.Matches(@"paramserver_worker_step_duration_seconds_sum\{[^}]*job=""job-a""\} 0\.025\n", scrape);
        }
        finally
        {
            await host.StopAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task HealthPath_OnMetricsPort_ReturnsOk()
    {
        await using var app = await StartShardAsync();
        var address = await app.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout);
        using var client = new HttpClient { Timeout = Timeout };

        var body = await client.GetStringAsync(new Uri(address!, "/healthz"));

        Assert.Equal("ok\n", body);
    }

    [Fact]
    public async Task MetricsPort_MinusOne_DisablesEndpoint()
    {
        await using var app = await StartShardAsync(metricsPort: "-1");

        var address = await app.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout);

        Assert.Null(address);
    }

    private static async Task<WebApplication> StartShardAsync(string metricsPort = "0")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shard:MetricsPort"] = metricsPort,
            ["Shard:ListenAddress"] = "127.0.0.1",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddShardMetrics();
        var app = builder.Build();
        await app.StartAsync().WaitAsync(Timeout);
        return app;
    }

    private static async Task<string> ScrapeAsync(Uri? address)
    {
        Assert.NotNull(address);
        using var client = new HttpClient { Timeout = Timeout };
        return await client.GetStringAsync(new Uri(address, "/metrics"));
    }

    /// <summary>Metric family names of the scrape (from its <c># TYPE</c> lines) that start with the prefix.</summary>
    private static SortedSet<string> Families(string scrape, string prefix) =>
        new(TypeLine().Matches(scrape).Select(match => match.Groups["name"].Value).Where(name => name.StartsWith(prefix)),
            StringComparer.Ordinal);

    /// <summary>Prometheus names in the first column of docs/metrics.md's tables that start with the prefix.</summary>
    private static SortedSet<string> DocumentedNames(string prefix) =>
        new(DocumentedRow().Matches(RepositoryFiles.ReadAllText("docs/metrics.md"))
            .Select(match => match.Groups["name"].Value)
            .Where(name => name.StartsWith(prefix)), StringComparer.Ordinal);

    [GeneratedRegex(@"^# TYPE (?<name>\S+) \S+$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\| `(?<name>[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();
}
