namespace ParamServer.Cluster.Tests;

/// <summary>Runs the cluster tests one at a time: each starts several processes that share the machine's cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Local cluster";
}
