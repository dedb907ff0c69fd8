using System.Runtime.InteropServices;
using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;

namespace ParamServer.Server.Consistency;

/// <summary>
/// Asynchronous updates: each push is applied on arrival, one optimizer update and one version per push. Pushes are
/// applied one at a time under the job's lock, so concurrent pushes never lose an update. A gradient whose staleness
/// (current version minus its base_version) exceeds max_staleness is rejected as too stale; with the
/// staleness-aware option the learning rate of an update is divided by 1 + staleness.
/// </summary>
internal class AsynchronousConsistency : IConsistencyStrategy
{
    private readonly long _maxStaleness;
    private readonly bool _stalenessAware;

    public AsynchronousConsistency(IConsistencyContext context, long maxStaleness, bool stalenessAware)
    {
        Context = context;
        _maxStaleness = maxStaleness;
        _stalenessAware = stalenessAware;
    }

    public virtual ConsistencyMode Mode => ConsistencyMode.Asynchronous;

    protected IConsistencyContext Context { get; }

    public virtual long JoinStep() => 0;

    public virtual RpcException? CheckStep(WorkerMember worker, long step) => null;

    public Task<PushResult> Accept(PendingPush push)
    {
        long staleness = Math.Max(0, Context.Version - push.BaseVersion);
        PushResult result;
        if (push.Gradient is null)
        {
            result = new PushResult
            {
                Outcome = PushOutcome.Applied,
                Version = Context.Version,
                Staleness = staleness,
                LearningRate = Context.CurrentLearningRate,
            };
        }
        else if (_maxStaleness > 0 && staleness > _maxStaleness)
        {
            Context.Counters.AddRejectedStale();
            result = new PushResult
            {
                Outcome = PushOutcome.RejectedStale,
                Version = Context.Version,
                Staleness = staleness,
                LearningRate = Context.CurrentLearningRate,
            };
        }
        else
        {
            double scale = _stalenessAware ? 1.0 / (1 + staleness) : 1.0;
            Span<float> gradient = MemoryMarshal.Cast<byte, float>(push.Gradient.AsSpan());
            (long version, double learningRate) = Context.ApplyUpdate(gradient, scale);
            Context.Counters.AddApplied();
            result = new PushResult
            {
                Outcome = PushOutcome.Applied,
                Version = version,
                Staleness = staleness,
                LearningRate = learningRate,
                Contributors = 1,
            };
        }

        if (push.Gradient is { } buffer)
        {
            push.Gradient = null;
            Context.ReturnGradient(buffer);
        }

        push.Completion.TrySetResult(result);
        return push.Completion.Task;
    }

    public virtual bool CanRead(long workerStep) => true;

    public virtual void OnMembershipChanged()
    {
    }

    public void Abort(RpcException error)
    {
    }
}
