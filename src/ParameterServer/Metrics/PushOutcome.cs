namespace ParamServer.Server.Metrics;

/// <summary>
/// Values of the <c>outcome</c> label of <c>paramserver.shard.pushes</c>: the four fixed counters of
/// <c>JobStatus</c>, and for other rejected pushes their reason, the key <c>JobStatus.pushes_rejected</c> counts
/// them under (<see cref="InvalidLength"/>, <see cref="NonFinite"/>, ...).
/// </summary>
public static class PushOutcome
{
    /// <summary>The gradient was applied on its own, as the asynchronous and bounded-staleness modes do.</summary>
    public const string Applied = "applied";

    /// <summary>The gradient was averaged with the other workers' into one synchronous step that was applied.</summary>
    public const string Merged = "merged";

    /// <summary>A retry of a push that was already applied; it got the first result again.</summary>
    public const string Deduplicated = "deduplicated";

    /// <summary>The gradient was older than the consistency mode allows.</summary>
    public const string RejectedStale = "rejected_stale";

    /// <summary>The gradient's length did not equal the shard's range.</summary>
    public const string InvalidLength = "invalid_length";

    /// <summary>The gradient contained NaN or infinity.</summary>
    public const string NonFinite = "non_finite";

    /// <summary>The step was not the one the shard expected next.</summary>
    public const string OutOfOrder = "out_of_order";

    /// <summary>The worker was not registered with the job.</summary>
    public const string Unregistered = "unregistered";
}
