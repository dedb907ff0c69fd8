namespace ParamServer.Psctl.Cluster;

/// <summary>A local cluster could not start or a process of it failed; the message names the process and its log.</summary>
public sealed class ClusterException : Exception
{
    public ClusterException(string message)
        : base(message)
    {
    }

    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
