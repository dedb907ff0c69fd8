using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ParamServer.Deploy.Tests.Infrastructure;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Metrics;
using ParamServer.Server.Security;
using ParamServer.Worker.Hosting;
using ParamServer.Worker.Metrics;
using ParamServer.Worker.Training;

namespace ParamServer.Deploy.Tests.Metrics;

public sealed partial class MetricsScrapeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ShardScrape_AfterStep_MatchesDocs()
    {
        await using var shard = await StartShardAsync(metricsPort: 0);
        using var channel = GrpcChannel.ForAddress(shard.Address);
        var data = new ParameterShard.ParameterShardClient(channel);
        var deadline = DateTime.UtcNow + Timeout;
        await data.CreateJobAsync(new CreateJobRequest { Job = FlatJob("job-a", parameters: 4) }, deadline: deadline);
        var worker = await data.RegisterAsync(new RegisterRequest { JobId = "job-a", WorkerName = "w" }, deadline: deadline);
        await PushOneStepAsync(data, worker, [1f, 2f, 3f, 4f]);
        var rejected = await Assert.ThrowsAsync<RpcException>(() => new ShardOperator.ShardOperatorClient(channel)
            .SetLearningRateAsync(new SetLearningRateRequest { JobId = "job-a", LearningRate = 1 }, deadline: deadline)
            .ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, rejected.StatusCode);

        var scrape = await ScrapeAsync(await shard.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout));

        var documented = DocumentedNames("paramserver_shard_");
        Assert.NotEmpty(documented);
        Assert.Equal(documented, Families(scrape, "paramserver_shard_"));
        Assert.Matches(Series("paramserver_shard_pushes_total", @"job=""job-a"",outcome=""merged""", "1"), scrape);
        Assert.Matches(Series("paramserver_shard_pushes_total", @"job=""job-a"",outcome=""applied""", "0"), scrape);
        Assert.Matches(Series("paramserver_shard_received_bytes_total", @"job=""job-a""", "16"), scrape);
        Assert.Matches(Series("paramserver_shard_version", @"job=""job-a""", "1"), scrape);
        Assert.Matches(Series("paramserver_shard_learning_rate", @"job=""job-a""", "0.5"), scrape);
        Assert.Matches(Series("paramserver_shard_workers_live", @"job=""job-a""", "1"), scrape);
        Assert.Matches(Series("paramserver_shard_apply_duration_seconds_count", "", "1"), scrape);
        Assert.Matches(Series("paramserver_shard_checkpoint_age_seconds", @"job=""job-a""", "12.5"), scrape);
        Assert.Matches(Series("paramserver_shard_operator_rejected_total",
            @"code=""Unauthenticated"",method=""/paramserver.v1.ShardOperator/SetLearningRate""", "1"), scrape);
    }

    [Fact]
    public async Task WorkerScrape_AfterEvents_MatchesDocs()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:MetricsPort"] = "0",
            ["Worker:MetricsListenAddress"] = "127.0.0.1",
        });
        builder.Services.AddSingleton<ITrainingProgress, NullTrainingProgress>();
        builder.AddWorkerMetrics();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);
        try
        {
            var progress = host.Services.GetRequiredService<ITrainingProgress>();
            progress.Started(new TrainingStarted("job-a", 3, "w", "trainer", "synchronous", 2, "cpu", 10, 1, 8, 0, 0));
            progress.StepCompleted(new StepCompleted("job-a", 3, 0, 1, 1, 0.75, 8));
            progress.EpochCompleted(new EpochCompleted("job-a", 3, 0, 0, 1, 1, 8, 0.75, 1));
            progress.Rejoined(new ShardRejoined("job-a", 3, 1, 1, 1));
            progress.Evaluated(new EvaluationCompleted("job-a", 3, 1, 0.5, 0.875, 100));

            var scrape = await ScrapeAsync(await host.Services.GetWorkerMetricsAddressAsync().WaitAsync(Timeout));

            var documented = DocumentedNames("paramserver_worker_");
            Assert.NotEmpty(documented);
            Assert.Equal(documented, Families(scrape, "paramserver_worker_"));
            Assert.Matches(Series("paramserver_worker_loss", @"job=""job-a""", "0.75"), scrape);
            Assert.Matches(Series("paramserver_worker_samples_total", @"job=""job-a""", "8"), scrape);
            Assert.Matches(Series("paramserver_worker_rejoins_total", @"job=""job-a"",shard=""1""", "1"), scrape);
            Assert.Matches(Series("paramserver_worker_validation_accuracy", @"job=""job-a""", "0.875"), scrape);
            Assert.Matches(Series("paramserver_worker_step_duration_seconds_count", @"job=""job-a""", "1"), scrape);
        }
        finally
        {
            await host.StopAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task HealthPath_OnMetricsPort_ReturnsOk()
    {
        await using var shard = await StartShardAsync(metricsPort: 0);
        var address = await shard.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout);
        using var client = new HttpClient { Timeout = Timeout };

        var body = await client.GetStringAsync(new Uri(address!, "/healthz"));

        Assert.Equal("ok\n", body);
    }

    [Fact]
    public async Task MetricsPort_MinusOne_DisablesEndpoint()
    {
        await using var shard = await StartShardAsync(metricsPort: -1);

        var address = await shard.Services.GetShardMetricsAddressAsync().WaitAsync(Timeout);

        Assert.Null(address);
    }

    private static Task<RunningShard> StartShardAsync(int metricsPort) =>
        ShardHost.StartAsync(
            new ShardOptions { ListenAddress = "127.0.0.1", Port = 0, MetricsPort = metricsPort, AuthToken = "token" },
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Services.AddSingleton<ICheckpointService, FixedCheckpointService>();
                builder.AddShardSecurity();
                builder.AddShardMetrics();
            }).WaitAsync(Timeout);

    private static JobSpec FlatJob(string jobId, long parameters) => new()
    {
        JobId = jobId,
        NumShards = 1,
        Model = new ModelSpec
        {
            Tensors =
            {
                new TensorSpec
                {
                    Name = "w",
                    Shape = { parameters },
                    Initializer = new InitializerSpec { Kind = InitializerKind.Zeros },
                },
            },
        },
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.5 },
        Consistency = new ConsistencySpec { Mode = ConsistencyMode.Synchronous },
    };

    private static async Task PushOneStepAsync(
        ParameterShard.ParameterShardClient data,
        RegisterResponse worker,
        float[] gradient)
    {
        using var call = data.PushPull(deadline: DateTime.UtcNow + Timeout);
        await call.RequestStream.WriteAsync(new PushRequest
        {
            Header = new PushHeader
            {
                JobId = worker.Job.JobId,
                WorkerId = worker.WorkerId,
                WorkerStep = 0,
                BaseVersion = 0,
                ShardIndex = worker.ShardIndex,
                RangeStart = worker.RangeStart,
                Length = worker.RangeLength,
                BatchSize = 1,
                ReturnWeights = false,
            },
        });
        await call.RequestStream.WriteAsync(new PushRequest
        {
            GradientChunk = ByteString.CopyFrom(MemoryMarshal.AsBytes(gradient.AsSpan())),
        });
        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
        {
        }
    }

    private static async Task<string> ScrapeAsync(Uri? address)
    {
        Assert.NotNull(address);
        using var client = new HttpClient { Timeout = Timeout };
        return await client.GetStringAsync(new Uri(address, "/metrics"));
    }

    /// <summary>A pattern for one sample line: the family, labels ending with <paramref name="labels"/>, the
    /// value.</summary>
    private static string Series(string name, string labels, string value) =>
        $@"(?m)^{Regex.Escape(name)}\{{[^}}]*{labels}\}} {Regex.Escape(value)}$";

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
