using ParamServer.Transport;

namespace ParamServer.Worker.Client;

/// <summary>Call, retry and circuit-breaker settings that every <see cref="ShardClient"/> of a worker shares.</summary>
public sealed record ShardClientOptions
{
    /// <summary>Bytes per gradient chunk sent to a shard. Default 1 MiB.</summary>
    public int ChunkBytes { get; init; } = FloatPayload.DefaultChunkBytes;

    /// <summary>Deadline of one attempt of a unary call (register, heartbeat, assignment, status). Default 10 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Deadline of one attempt of a call that waits for other workers: a synchronous PushPull or a bounded-staleness
    /// Pull. It must exceed the shards' heartbeat timeout, because a step waits for a dead worker until its eviction.
    /// Default 120 s.
    /// </summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt of a call that failed transiently. Default 10.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>Delay before the first retry; each later one doubles it, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay. Default 5 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fraction of failed attempts within <see cref="BreakerSamplingDuration"/> that opens a shard's breaker. Default 0.5.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>Attempts within the sampling window before the breaker may open. Default 4.</summary>
    public int BreakerMinimumThroughput { get; init; } = 4;

    /// <summary>Window over which the breaker counts failures. Default 30 s.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time an open breaker rejects calls before it lets one trial call through. Default 5 s.</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bearer token sent in the authorization header of every call; null sends none.</summary>
    public string? AuthToken { get; init; }
}
