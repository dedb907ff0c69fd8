using Grpc.Core;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Tests.Security;

/// <summary>
/// An operator service with fixed answers, so the security layer can be tested without shard state. GetStatus for
/// the job <see cref="BlockingJob"/> waits until the call is cancelled, for the call duration limit.
/// </summary>
internal sealed class FakeOperatorService : ShardOperator.ShardOperatorBase
{
    public const string BlockingJob = "block";

    public TaskCompletionSource BlockingCallEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int CheckpointCalls;

    public override async Task<ShardStatus> GetStatus(StatusRequest request, ServerCallContext context)
    {
        if (request.JobId == BlockingJob)
        {
            BlockingCallEntered.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        return new ShardStatus { ShardIndex = 0, NumShards = 1, ServerVersion = "test" };
    }

    public override Task<CheckpointResponse> Checkpoint(CheckpointRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref CheckpointCalls);
        // The path leaves out long job ids, so that the message size tests measure only the request.
        var path = request.JobId.Length <= 64 ? $"/ckpt/{request.JobId}" : "/ckpt/long";
        return Task.FromResult(new CheckpointResponse { Path = path, Version = 7, Bytes = 64 });
    }

    public override Task<SetLearningRateResponse> SetLearningRate(SetLearningRateRequest request, ServerCallContext context) =>
        Task.FromResult(new SetLearningRateResponse { LearningRate = request.LearningRate });

    public override Task<EvictWorkerResponse> EvictWorker(EvictWorkerRequest request, ServerCallContext context) =>
        Task.FromResult(new EvictWorkerResponse { Evicted = true });

    public override Task<ShutdownResponse> Shutdown(ShutdownRequest request, ServerCallContext context) =>
        Task.FromResult(new ShutdownResponse());
}
