using Grpc.Core;

namespace ParamServer.Worker.Client;

/// <summary>A shard rejected the worker's registration for a reason that a retry cannot fix.</summary>
public sealed class JobRejectedException : Exception
{
    public JobRejectedException(string message, RpcException? inner = null)
        : base(message, inner)
    {
    }
}
