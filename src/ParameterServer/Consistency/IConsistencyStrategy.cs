using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;

namespace ParamServer.Server.Consistency;

/// <summary>
/// When a job applies gradients and when a worker may read weights: one implementation per consistency mode.
/// All members are called under the job's lock.
/// </summary>
internal interface IConsistencyStrategy
{
    ConsistencyMode Mode { get; }

    /// <summary>The worker step a newly registered training worker starts at.</summary>
    long JoinStep();

    /// <summary>
    /// Checks that a new (not retried) push for <paramref name="step"/> fits the mode; returns the error to send, or
    /// null. The job has already checked the worker's own step order.
    /// </summary>
    RpcException? CheckStep(WorkerMember worker, long step);

    /// <summary>
    /// Takes ownership of an accepted push and returns its result, completed now or once its step is applied.
    /// </summary>
    Task<PushResult> Accept(PendingPush push);

    /// <summary>Whether a worker about to compute <paramref name="workerStep"/> may be handed the current weights.</summary>
    bool CanRead(long workerStep);

    /// <summary>Re-evaluates pending steps after a worker joined, left, was evicted or moved its start step.</summary>
    void OnMembershipChanged();

    /// <summary>Fails every pending push with <paramref name="error"/>, for a job being removed or restored.</summary>
    void Abort(RpcException error);
}
