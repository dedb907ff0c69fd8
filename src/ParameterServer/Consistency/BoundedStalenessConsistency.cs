using ParamServer.Protocol.V1;

namespace ParamServer.Server.Consistency;

/// <summary>
/// Stale synchronous parallel with bound s &gt; 0: pushes are applied on arrival as in asynchronous mode, but a worker
/// about to compute step c receives weights only once every live training worker has pushed step c - s - 1, so no
/// worker runs more than s steps ahead of the slowest. A bound of 0 is bulk synchronous and is served by
/// <see cref="SynchronousConsistency"/>.
/// </summary>
internal sealed class BoundedStalenessConsistency : AsynchronousConsistency
{
    private readonly int _bound;

    public BoundedStalenessConsistency(IConsistencyContext context, int bound, long maxStaleness, bool stalenessAware)
        : base(context, maxStaleness, stalenessAware)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        _bound = bound;
    }

    public override ConsistencyMode Mode => ConsistencyMode.BoundedStaleness;

    public int Bound => _bound;

    // A joiner starts at the slowest worker's clock, so it neither holds others back nor runs ahead of the bound.
    public override long JoinStep() => SlowestNextStep() ?? 0;

    public override bool CanRead(long workerStep)
    {
        long? slowest = SlowestNextStep();
        return slowest is null || slowest.Value >= workerStep - _bound;
    }

    /// <summary>The smallest next step among live training workers: the slowest worker's clock.</summary>
    private long? SlowestNextStep()
    {
        long? slowest = null;
        foreach (Membership.WorkerMember worker in Context.LiveTrainers)
        {
            if (slowest is null || worker.NextStep < slowest)
            {
                slowest = worker.NextStep;
            }
        }

        return slowest;
    }
}
