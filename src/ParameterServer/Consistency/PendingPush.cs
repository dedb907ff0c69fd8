using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;

namespace ParamServer.Server.Consistency;

/// <summary>
/// An accepted push on its way to being applied: the worker, its step, the version its gradient was computed on
/// and the gradient itself (raw float32 bytes of the shard's slice, owned by the strategy from now on). A null
/// gradient marks an empty push: the worker takes part in the step without contributing a gradient.
/// </summary>
internal sealed class PendingPush
{
    public PendingPush(WorkerMember worker, long step, long baseVersion, byte[]? gradient)
    {
        Worker = worker;
        Step = step;
        BaseVersion = baseVersion;
        Gradient = gradient;
    }

    public WorkerMember Worker { get; }

    public long Step { get; }

    public long BaseVersion { get; }

    public byte[]? Gradient { get; set; }

    public TaskCompletionSource<PushResult> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
