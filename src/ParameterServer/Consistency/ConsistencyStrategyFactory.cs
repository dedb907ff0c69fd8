using ParamServer.Protocol.V1;

namespace ParamServer.Server.Consistency;

/// <summary>Picks the strategy of a job's consistency mode.</summary>
internal static class ConsistencyStrategyFactory
{
    public static IConsistencyStrategy Create(ConsistencySpec spec, IConsistencyContext context) => spec.Mode switch
    {
        ConsistencyMode.Unspecified or ConsistencyMode.Synchronous =>
            new SynchronousConsistency(context, spec.MinWorkers, ConsistencyMode.Synchronous),
        ConsistencyMode.Asynchronous =>
            new AsynchronousConsistency(context, spec.MaxStaleness, spec.StalenessAwareLearningRate),
        ConsistencyMode.BoundedStaleness when spec.StalenessBound == 0 =>
            new SynchronousConsistency(context, spec.MinWorkers, ConsistencyMode.BoundedStaleness),
        ConsistencyMode.BoundedStaleness => new BoundedStalenessConsistency(
            context, spec.StalenessBound, spec.MaxStaleness, spec.StalenessAwareLearningRate),
        _ => throw new ArgumentException($"consistency.mode {(int)spec.Mode} is not a known mode.", nameof(spec)),
    };
}
