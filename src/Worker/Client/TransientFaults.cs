using Grpc.Core;
using Polly.CircuitBreaker;

namespace ParamServer.Worker.Client;

/// <summary>Classifies call failures into the ones worth retrying and the ones that mean a shard forgot the worker.</summary>
public static class TransientFaults
{
    /// <summary>
    /// Returns true for Unavailable (shard down or restarting), DeadlineExceeded (an attempt ran past its deadline),
    /// ResourceExhausted (a busy shard), and for Internal failures caused by a broken connection, which grpc-dotnet
    /// reports when the shard process dies mid-stream. Pushes are applied once per (job, worker, step) on the shard,
    /// so a retried push is never applied twice.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RpcException rpc => IsTransient(rpc),
        BrokenCircuitException => true,
        _ => false,
    };

    public static bool IsTransient(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted => true,
        StatusCode.Internal => exception.Status.DebugException is IOException or HttpRequestException,
        _ => false,
    };

    /// <summary>
    /// Returns true when a shard has no record of the job or the worker: NotFound (unknown job or worker, as after a
    /// restart without state) or FailedPrecondition (evicted, unregistered or a step the shard does not expect). The
    /// worker registers again with that shard and continues from the step the shard returns.
    /// </summary>
    public static bool IsMembershipLost(Exception exception) =>
        exception is RpcException { StatusCode: StatusCode.NotFound or StatusCode.FailedPrecondition };
}
