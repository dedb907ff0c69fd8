using Grpc.Core;

namespace ParamServer.Server.Validation;

/// <summary>Builds the <see cref="RpcException"/>s the shard returns for bad input, one factory per status code.</summary>
internal static class ShardErrors
{
    public static RpcException UnknownJob(string jobId) =>
        new(new Status(StatusCode.NotFound, $"job_id '{jobId}' is not a job on this shard; create it first."));

    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException FailedPrecondition(string message) =>
        new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException ResourceExhausted(string message) =>
        new(new Status(StatusCode.ResourceExhausted, message));

    public static RpcException AlreadyExists(string message) => new(new Status(StatusCode.AlreadyExists, message));

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));

    public static RpcException DeadlineExceeded(string message) =>
        new(new Status(StatusCode.DeadlineExceeded, message));

    public static RpcException Unimplemented(string message) => new(new Status(StatusCode.Unimplemented, message));
}
