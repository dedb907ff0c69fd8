using ParamServer.Transport;

namespace ParamServer.Worker.Hosting;

/// <summary>
/// Settings of a worker process, bound from the "Worker" configuration section: appsettings.json, environment
/// variables such as <c>Worker__JobId</c>, or command-line arguments such as <c>--Worker:JobId=mnist</c>.
/// Validated at start-up by <see cref="WorkerOptionsValidator"/>.
/// </summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Shard endpoints in shard-index order, comma-separated, such as "http://10.0.0.5:50051,...".</summary>
    public string? Shards { get; set; }

    /// <summary>
    /// "name:port" of a DNS name with one address per shard (a headless service), used when <see cref="Shards"/>
    /// is empty; each address is asked for its shard index.
    /// </summary>
    public string? ShardsDns { get; set; }

    /// <summary>Job to train. Required.</summary>
    public string JobId { get; set; } = string.Empty;

    /// <summary>Worker name shown in shard status. Default: the host name.</summary>
    public string? Name { get; set; }

    /// <summary>Run as the job's evaluator, which evaluates new versions and trains nothing. Default false.</summary>
    public bool Evaluator { get; set; }

    /// <summary>Accelerator: auto (CUDA, then OpenCL, then the CPU accelerator), cuda, opencl or cpu. Default auto.</summary>
    public string Accelerator { get; set; } = "auto";

    /// <summary>Directory with the MNIST IDX files (raw or gzip). Default "data/mnist".</summary>
    public string DataDir { get; set; } = "data/mnist";

    /// <summary>
    /// Optional JobSpec in protobuf JSON. The worker creates the job from it on a shard that does not know the job,
    /// including shard 0 when the job was not created before the worker started.
    /// </summary>
    public string? JobFile { get; set; }

    /// <summary>Bytes per gradient chunk, 4 KiB to 4 MiB - 64 KiB. Default 1 MiB.</summary>
    public int ChunkBytes { get; set; } = FloatPayload.DefaultChunkBytes;

    /// <summary>Deadline of one attempt of a unary call, in seconds. Default 10.</summary>
    public double CallTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Deadline of one attempt of a call that waits for other workers (synchronous PushPull, bounded-staleness Pull),
    /// in seconds; keep it above the shards' heartbeat timeout. Default 120.
    /// </summary>
    public double StepTimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of a call that failed with Unavailable, DeadlineExceeded or ResourceExhausted. Default 10.</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>First retry delay in milliseconds; later ones double, with jitter. Default 200.</summary>
    public double RetryBaseDelayMilliseconds { get; set; } = 200;

    /// <summary>Largest retry delay in seconds. Default 5.</summary>
    public double RetryMaxDelaySeconds { get; set; } = 5;

    /// <summary>Failure ratio in the sampling window that opens a shard's circuit breaker, in (0, 1]. Default 0.5.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts in the sampling window before the breaker may open. Default 4.</summary>
    public int BreakerMinimumThroughput { get; set; } = 4;

    /// <summary>Sampling window of the breaker in seconds. Default 30.</summary>
    public double BreakerSamplingSeconds { get; set; } = 30;

    /// <summary>Seconds an open breaker rejects calls before a trial call. Default 5.</summary>
    public double BreakerBreakSeconds { get; set; } = 5;

    /// <summary>Seconds to wait for every shard to respond through <see cref="ShardsDns"/>. Default 120.</summary>
    public double DiscoveryTimeoutSeconds { get; set; } = 120;

    /// <summary>Seconds allowed for deregistering from every shard when the worker stops. Default 5.</summary>
    public double DeregisterTimeoutSeconds { get; set; } = 5;

    /// <summary>Write a progress line every this many steps; 0 writes none. Default 10.</summary>
    public int ProgressEverySteps { get; set; } = 10;

    /// <summary>Write JSON progress lines to standard output; logs go to standard error either way. Default true.</summary>
    public bool Progress { get; set; } = true;

    /// <summary>Samples per evaluation call of the engine; 0 passes the whole test set at once. Default 0.</summary>
    public int EvaluationBatchSize { get; set; }

    /// <summary>Bearer token sent with every call when the shards require one. Never logged.</summary>
    public string? AuthToken { get; set; }
}
