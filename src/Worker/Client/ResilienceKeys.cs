using Polly;

namespace ParamServer.Worker.Client;

/// <summary>Properties a <see cref="ShardClient"/> attaches to each call's resilience context for logging.</summary>
internal static class ResilienceKeys
{
    /// <summary>The worker step the call belongs to; -1 for calls outside a step.</summary>
    public static readonly ResiliencePropertyKey<long> Step = new("paramserver.step");
}
