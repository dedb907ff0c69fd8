namespace ParamServer.Cluster.Tests;

/// <summary>
/// A fact that needs Linux network namespaces. Where this process cannot create them (not root, no iproute2, or a
/// sandbox without the capability), the test is skipped with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RecoveryNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> UnavailableReason = new(RecoveryNetworkNamespaces.ProbeUnavailableReason);

    public RecoveryNamespaceFactAttribute()
    {
        if (UnavailableReason.Value is { } reason)
        {
            Skip = "Skipped: this test runs each shard in its own network namespace, but " + reason + ".";
        }
    }
}
