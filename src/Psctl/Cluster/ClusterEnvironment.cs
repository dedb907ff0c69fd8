using System.Globalization;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Cluster;

/// <summary>
/// Environment variables that configure the shard and worker processes of a local cluster: the "Shard" and
/// "Worker" configuration sections as Section__Key variables. Settings left unset are not passed, so each
/// process keeps its own default. URL variables inherited from psctl's environment are removed, because they
/// would override the endpoint the shard binds.
/// </summary>
public static class ClusterEnvironment
{
    private static readonly string[] InheritedUrlVariables =
        ["ASPNETCORE_URLS", "URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS"];

    /// <summary>Variables of shard <paramref name="index"/>; a null value removes an inherited variable.</summary>
    public static Dictionary<string, string?> ForShard(
        TrainSettings settings,
        int index,
        int port,
        string readyFile,
        string checkpointDirectory)
    {
        Dictionary<string, string?> environment = Inherited();
        environment["Shard__Index"] = index.ToString(CultureInfo.InvariantCulture);
        environment["Shard__Count"] = settings.Shards.ToString(CultureInfo.InvariantCulture);
        environment["Shard__IndexFromHostname"] = "false";
        environment["Shard__ListenAddress"] = "127.0.0.1";
        environment["Shard__Port"] = port.ToString(CultureInfo.InvariantCulture);
        environment["Shard__ReadyFile"] = readyFile;
        environment["Shard__MetricsPort"] = Port(settings.ShardMetricsPort, index);
        environment["Shard__CheckpointDirectory"] = checkpointDirectory;
        Set(environment, "Shard__ChunkBytes", settings.ShardChunkBytes);
        Set(environment, "Shard__HeartbeatTimeoutSeconds", settings.ShardHeartbeatTimeoutSeconds);
        Set(environment, "Shard__MaxWorkers", settings.ShardMaxWorkers);
        Set(environment, "Shard__CheckpointEverySteps", settings.CheckpointEverySteps);
        Set(environment, "Shard__CheckpointEverySeconds", settings.CheckpointEverySeconds);
        Set(environment, "Shard__CheckpointKeep", settings.CheckpointKeep);
        Set(environment, "Shard__ShutdownTimeoutSeconds", settings.ShardShutdownTimeoutSeconds);
        Set(environment, "Shard__MaxMessageBytes", settings.ShardMaxMessageBytes);
        Set(environment, "Shard__MaxStreamsPerConnection", settings.ShardMaxStreamsPerConnection);
        Set(environment, "Shard__MaxCallSeconds", settings.ShardMaxCallSeconds);
        environment["Shard__HealthPort"] = Port(settings.ShardHealthPort, index);
        Set(environment, "Shard__AuthToken", settings.AuthToken);
        Set(environment, "Shard__Tls__CertificatePath", settings.TlsCertificatePath);
        Set(environment, "Shard__Tls__KeyPath", settings.TlsKeyPath);
        Set(environment, "Shard__Tls__ClientCaPath", settings.TlsClientCaPath);
        AddExtra(environment, "Shard__", settings.ExtraShardSettings);

        return environment;
    }

    /// <summary>Variables of the worker named <paramref name="name"/>, the <paramref name="ordinal"/>-th started.</summary>
    public static Dictionary<string, string?> ForWorker(
        TrainSettings settings,
        IReadOnlyList<Uri> shardEndpoints,
        string name,
        bool evaluator,
        int ordinal,
        string dataDirectory)
    {
        Dictionary<string, string?> environment = Inherited();
        environment["Worker__Shards"] = string.Join(",", shardEndpoints.Select(e => e.GetLeftPart(UriPartial.Authority)));
        environment["Worker__JobId"] = settings.JobId;
        environment["Worker__Name"] = name;
        environment["Worker__Evaluator"] = evaluator ? "true" : "false";
        environment["Worker__DataDir"] = dataDirectory;
        environment["Worker__Accelerator"] = settings.Accelerator;
        environment["Worker__MetricsPort"] = Port(settings.WorkerMetricsPort, ordinal);
        environment["Worker__MetricsListenAddress"] = settings.WorkerMetricsListenAddress;
        Set(environment, "Worker__ChunkBytes", settings.WorkerChunkBytes);
        Set(environment, "Worker__CallTimeoutSeconds", settings.CallTimeoutSeconds);
        Set(environment, "Worker__MaxRetries", settings.MaxRetries);
        Set(environment, "Worker__StepTimeoutSeconds", settings.StepTimeoutSeconds);
        Set(environment, "Worker__RetryBaseDelayMilliseconds", settings.RetryBaseDelayMilliseconds);
        Set(environment, "Worker__RetryMaxDelaySeconds", settings.RetryMaxDelaySeconds);
        Set(environment, "Worker__BreakerFailureRatio", settings.BreakerFailureRatio);
        Set(environment, "Worker__BreakerMinimumThroughput", settings.BreakerMinimumThroughput);
        Set(environment, "Worker__BreakerSamplingSeconds", settings.BreakerSamplingSeconds);
        Set(environment, "Worker__BreakerBreakSeconds", settings.BreakerBreakSeconds);
        Set(environment, "Worker__DeregisterTimeoutSeconds", settings.DeregisterTimeoutSeconds);
        Set(environment, "Worker__ProgressEverySteps", settings.ProgressEverySteps);
        Set(environment, "Worker__EvaluationBatchSize", settings.EvaluationBatchSize);
        Set(environment, "Worker__AuthToken", settings.AuthToken);
        AddExtra(environment, "Worker__", settings.ExtraWorkerSettings);

        return environment;
    }

    private static Dictionary<string, string?> Inherited()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string variable in InheritedUrlVariables)
        {
            environment[variable] = null;
        }

        return environment;
    }

    /// <summary>Returns the port for process <paramref name="ordinal"/>: -1 and 0 as given, N as N + ordinal.</summary>
    private static string Port(int configured, int ordinal) =>
        (configured <= 0 ? configured : configured + ordinal).ToString(CultureInfo.InvariantCulture);

    private static void Set<T>(Dictionary<string, string?> environment, string key, T? value)
    {
        if (value is not null)
        {
            environment[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    private static void AddExtra(
        Dictionary<string, string?> environment,
        string prefix,
        IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach ((string key, string value) in settings)
        {
            environment[prefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }
}
