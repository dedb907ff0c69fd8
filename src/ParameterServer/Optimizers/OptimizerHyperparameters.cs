using ParamServer.Protocol.V1;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// An OptimizerSpec with every unset optional field replaced by its default from <see cref="OptimizerDefaults"/>.
/// Fields that the kind does not use keep their resolved values but have no effect.
/// </summary>
/// <param name="Kind">Which update rule to apply.</param>
/// <param name="Momentum">mu of classic momentum, beta of EMA momentum.</param>
/// <param name="Dampening">Classic momentum only: the gradient enters the buffer scaled by 1 - dampening.</param>
/// <param name="Nesterov">Classic momentum only: step along g + mu*v instead of v.</param>
/// <param name="Beta1">Adam and AdamW first-moment decay.</param>
/// <param name="Beta2">Adam and AdamW second-moment decay.</param>
/// <param name="Epsilon">Denominator term of Adam, AdamW, RMSprop and AdaGrad.</param>
/// <param name="Rho">RMSprop squared-gradient decay.</param>
/// <param name="Centered">RMSprop only: subtract the squared mean gradient from the second moment.</param>
/// <param name="InitialAccumulator">AdaGrad only: starting value of the squared-gradient sum.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient, or decoupled decay for AdamW.</param>
/// <param name="ClipValue">Clamp each gradient element to [-ClipValue, ClipValue]; 0 disables.</param>
/// <param name="ClipNorm">Rescale the slice's gradient so its L2 norm is at most ClipNorm; 0 disables.</param>
public sealed record OptimizerHyperparameters(
    OptimizerKind Kind,
    double Momentum,
    double Dampening,
    bool Nesterov,
    double Beta1,
    double Beta2,
    double Epsilon,
    double Rho,
    bool Centered,
    double InitialAccumulator,
    double WeightDecay,
    double ClipValue,
    double ClipNorm)
{
    /// <summary>Resolves the defaults of <paramref name="spec"/> without validating it.</summary>
    public static OptimizerHyperparameters FromSpec(OptimizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double defaultEpsilon = spec.Kind == OptimizerKind.Adagrad
            ? OptimizerDefaults.AdaGradEpsilon
            : OptimizerDefaults.Epsilon;
        return new OptimizerHyperparameters(
            spec.Kind,
            spec.HasMomentum ? spec.Momentum : OptimizerDefaults.Momentum,
            spec.HasDampening ? spec.Dampening : OptimizerDefaults.Dampening,
            spec.Nesterov,
            spec.HasBeta1 ? spec.Beta1 : OptimizerDefaults.Beta1,
            spec.HasBeta2 ? spec.Beta2 : OptimizerDefaults.Beta2,
            spec.HasEpsilon ? spec.Epsilon : defaultEpsilon,
            spec.HasRho ? spec.Rho : OptimizerDefaults.Rho,
            spec.Centered,
            spec.InitialAccumulator,
            spec.WeightDecay,
            spec.ClipValue,
            spec.ClipNorm);
    }
}
