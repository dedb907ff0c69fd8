namespace ParamServer.Server.Metrics;

/// <summary>
/// Values of the <c>outcome</c> label of <c>paramserver.shard.pushes</c>. A rejected push uses its rejection reason
/// as outcome, the same key that <c>JobStatus.pushes_rejected</c> counts it under.
/// </summary>
public static class PushOutcome
{
    /// <summary>The gradient was aggregated into a step that has been applied.</summary>
    public const string Applied = "applied";

    /// <summary>The gradient was merged into a pending aggregate (bounded-staleness or asynchronous modes).</summary>
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
