using ParamServer.Psctl.Cluster;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Tests.Cluster;

public sealed class ClusterEnvironmentTests
{
    private static readonly Uri[] Endpoints = [new("http://127.0.0.1:4001"), new("http://127.0.0.1:4002")];

    [Fact]
    public void ForShard_Defaults_SetLoopbackAndReadyFile()
    {
        Dictionary<string, string?> environment = ClusterEnvironment.ForShard(Parse(), 1, 0, "/run/ready", "/run/ckpt");

        Assert.Equal("1", environment["Shard__Index"]);
        Assert.Equal("2", environment["Shard__Count"]);
        Assert.Equal("127.0.0.1", environment["Shard__ListenAddress"]);
        Assert.Equal("0", environment["Shard__Port"]);
        Assert.Equal("/run/ready", environment["Shard__ReadyFile"]);
        Assert.Equal("-1", environment["Shard__MetricsPort"]);
        Assert.Equal("/run/ckpt", environment["Shard__CheckpointDirectory"]);
        Assert.False(environment.ContainsKey("Shard__ChunkBytes"));
        Assert.Null(environment["ASPNETCORE_URLS"]);
    }

    [Theory]
    [InlineData("--shard-chunk-bytes", "65536", "Shard__ChunkBytes", "65536")]
    [InlineData("--shard-heartbeat-timeout", "2.5", "Shard__HeartbeatTimeoutSeconds", "2.5")]
    [InlineData("--shard-max-workers", "8", "Shard__MaxWorkers", "8")]
    [InlineData("--shard-metrics-port", "9464", "Shard__MetricsPort", "9465")]
    [InlineData("--checkpoint-every-steps", "100", "Shard__CheckpointEverySteps", "100")]
    [InlineData("--checkpoint-every-seconds", "30", "Shard__CheckpointEverySeconds", "30")]
    [InlineData("--checkpoint-keep", "5", "Shard__CheckpointKeep", "5")]
    [InlineData("--shard-shutdown-timeout", "3", "Shard__ShutdownTimeoutSeconds", "3")]
    [InlineData("--auth-token", "s3cret", "Shard__AuthToken", "s3cret")]
    [InlineData("--tls-client-ca", "ca.pem", "Shard__Tls__ClientCaPath", "ca.pem")]
    [InlineData("--shard-max-message-bytes", "2000000", "Shard__MaxMessageBytes", "2000000")]
    [InlineData("--shard-max-streams", "10", "Shard__MaxStreamsPerConnection", "10")]
    [InlineData("--shard-max-call-seconds", "60", "Shard__MaxCallSeconds", "60")]
    [InlineData("--shard-health-port", "7000", "Shard__HealthPort", "7001")]
    [InlineData("--shard-setting", "Limits:MaxStreams=100", "Shard__Limits__MaxStreams", "100")]
    public void ForShard_Option_BecomesVariable(string option, string value, string variable, string expected)
    {
        string[] args = option == "--tls-client-ca"
            ? [option, value, "--tls-cert", "c.pem", "--tls-key", "k.pem"]
            : [option, value];

        Dictionary<string, string?> environment = ClusterEnvironment.ForShard(Parse(args), 1, 0, "r", "c");

        Assert.Equal(expected, environment[variable]);
    }

    [Fact]
    public void ForWorker_Defaults_ListShardsInOrder()
    {
        Dictionary<string, string?> environment =
            ClusterEnvironment.ForWorker(Parse(), Endpoints, "worker-0", evaluator: false, 0, "/data");

        Assert.Equal("http://127.0.0.1:4001,http://127.0.0.1:4002", environment["Worker__Shards"]);
        Assert.Equal("mnist", environment["Worker__JobId"]);
        Assert.Equal("worker-0", environment["Worker__Name"]);
        Assert.Equal("false", environment["Worker__Evaluator"]);
        Assert.Equal("/data", environment["Worker__DataDir"]);
        Assert.Equal("auto", environment["Worker__Accelerator"]);
        Assert.Equal("-1", environment["Worker__MetricsPort"]);
        Assert.False(environment.ContainsKey("Worker__MaxRetries"));
    }

    [Theory]
    [InlineData("--accelerator", "cpu", "Worker__Accelerator", "cpu")]
    [InlineData("--worker-chunk-bytes", "4096", "Worker__ChunkBytes", "4096")]
    [InlineData("--call-timeout", "4", "Worker__CallTimeoutSeconds", "4")]
    [InlineData("--step-timeout", "60", "Worker__StepTimeoutSeconds", "60")]
    [InlineData("--max-retries", "3", "Worker__MaxRetries", "3")]
    [InlineData("--retry-base-delay-ms", "50", "Worker__RetryBaseDelayMilliseconds", "50")]
    [InlineData("--retry-max-delay", "2", "Worker__RetryMaxDelaySeconds", "2")]
    [InlineData("--breaker-failure-ratio", "0.25", "Worker__BreakerFailureRatio", "0.25")]
    [InlineData("--breaker-minimum-throughput", "6", "Worker__BreakerMinimumThroughput", "6")]
    [InlineData("--breaker-sampling", "10", "Worker__BreakerSamplingSeconds", "10")]
    [InlineData("--breaker-break", "1", "Worker__BreakerBreakSeconds", "1")]
    [InlineData("--deregister-timeout", "2", "Worker__DeregisterTimeoutSeconds", "2")]
    [InlineData("--progress-every", "0", "Worker__ProgressEverySteps", "0")]
    [InlineData("--evaluation-batch-size", "1000", "Worker__EvaluationBatchSize", "1000")]
    [InlineData("--worker-metrics-port", "9500", "Worker__MetricsPort", "9503")]
    [InlineData("--worker-metrics-address", "0.0.0.0", "Worker__MetricsListenAddress", "0.0.0.0")]
    [InlineData("--auth-token", "s3cret", "Worker__AuthToken", "s3cret")]
    [InlineData("--worker-setting", "ShardsDns=shards:50051", "Worker__ShardsDns", "shards:50051")]
    public void ForWorker_Option_BecomesVariable(string option, string value, string variable, string expected)
    {
        Dictionary<string, string?> environment =
            ClusterEnvironment.ForWorker(Parse(option, value), Endpoints, "worker-3", evaluator: true, 3, "/data");

        Assert.Equal(expected, environment[variable]);
        Assert.Equal("true", environment["Worker__Evaluator"]);
    }

    private static TrainSettings Parse(params string[] args)
    {
        TrainSettings settings = TrainCommand.ParseSettings(args, TextWriter.Null)!;
        TrainPlan.Create(settings);
        return settings;
    }
}
