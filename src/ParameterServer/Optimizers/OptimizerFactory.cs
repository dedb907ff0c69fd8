using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Optimizers;

/// <summary>Creates the optimizer an OptimizerSpec describes, for one shard's slice.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// Validates <paramref name="spec"/>, resolves its defaults (<see cref="OptimizerDefaults"/>) and returns a
    /// fresh optimizer for a slice of <paramref name="length"/> elements, with zeroed state (AdaGrad's sum starts at
    /// the initial accumulator).
    /// </summary>
    /// <param name="spec">The job's optimizer settings.</param>
    /// <param name="length">Number of elements the shard owns.</param>
    /// <param name="execution">Threading settings; null takes <see cref="OptimizerExecutionOptions.Default"/>.</param>
    /// <param name="logger">Receives one Debug line per optimizer created; null logs nothing.</param>
    /// <exception cref="ArgumentException">
    /// The spec is invalid; the message lists every problem as <see cref="OptimizerSpecValidator"/> words it.
    /// </exception>
    public static ElementwiseOptimizer Create(
        OptimizerSpec spec,
        int length,
        OptimizerExecutionOptions? execution = null,
        ILogger? logger = null)
    {
        OptimizerSpecValidator.ThrowIfInvalid(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        execution ??= OptimizerExecutionOptions.Default;
        OptimizerHyperparameters settings = OptimizerHyperparameters.FromSpec(spec);
        ElementwiseOptimizer optimizer = spec.Kind switch
        {
            OptimizerKind.Sgd => new SgdOptimizer(length, settings, execution),
            OptimizerKind.Momentum => new MomentumOptimizer(length, settings, execution),
            OptimizerKind.MomentumEma => new EmaMomentumOptimizer(length, settings, execution),
            OptimizerKind.Adagrad => new AdaGradOptimizer(length, settings, execution),
            OptimizerKind.Rmsprop => new RmsPropOptimizer(length, settings, execution),
            OptimizerKind.Adam => new AdamOptimizer(length, settings, decoupledWeightDecay: false, execution),
            OptimizerKind.Adamw => new AdamOptimizer(length, settings, decoupledWeightDecay: true, execution),
            _ => throw new ArgumentException($"optimizer.kind {spec.Kind} has no implementation.", nameof(spec)),
        };

        OptimizerLog.OptimizerCreated(
            logger ?? NullLogger.Instance,
            spec.Kind,
            length,
            execution.EffectiveDegreeOfParallelism,
            execution.ParallelThreshold);
        return optimizer;
    }
}
