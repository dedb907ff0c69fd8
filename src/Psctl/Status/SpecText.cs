using System.Globalization;
using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Status;

/// <summary>One-line descriptions of a job's optimizer, schedule and consistency settings.</summary>
public static class SpecText
{
    public static string Describe(OptimizerSpec? spec)
    {
        if (spec is null)
        {
            return "unknown";
        }

        var parts = new List<string>();
        switch (spec.Kind)
        {
            case OptimizerKind.Momentum:
                parts.Add(spec.Nesterov ? "nesterov momentum" : "momentum");
                if (spec.HasMomentum)
                {
                    parts.Add("mu " + Units.Number(spec.Momentum));
                }

                if (spec.HasDampening && spec.Dampening != 0)
                {
                    parts.Add("dampening " + Units.Number(spec.Dampening));
                }

                break;
            case OptimizerKind.MomentumEma:
                parts.Add("momentum-ema");
                if (spec.HasMomentum)
                {
                    parts.Add("beta " + Units.Number(spec.Momentum));
                }

                break;
            case OptimizerKind.Adam or OptimizerKind.Adamw:
                parts.Add(spec.Kind == OptimizerKind.Adam ? "adam" : "adamw");
                if (spec.HasBeta1)
                {
                    parts.Add("beta1 " + Units.Number(spec.Beta1));
                }

                if (spec.HasBeta2)
                {
                    parts.Add("beta2 " + Units.Number(spec.Beta2));
                }

                break;
            case OptimizerKind.Rmsprop:
                parts.Add(spec.Centered ? "centered rmsprop" : "rmsprop");
                if (spec.HasRho)
                {
                    parts.Add("rho " + Units.Number(spec.Rho));
                }

                break;
            default:
                parts.Add(spec.Kind.ToString().ToLowerInvariant());
                break;
        }

        if (spec.HasEpsilon)
        {
            parts.Add("eps " + Units.Number(spec.Epsilon));
        }

        if (spec.WeightDecay != 0)
        {
            parts.Add("weight decay " + Units.Number(spec.WeightDecay));
        }

        if (spec.ClipValue != 0)
        {
            parts.Add("clip value " + Units.Number(spec.ClipValue));
        }

        if (spec.ClipNorm != 0)
        {
            parts.Add("clip norm " + Units.Number(spec.ClipNorm));
        }

        return string.Join(", ", parts);
    }

    public static string Describe(ScheduleSpec? spec)
    {
        if (spec is null)
        {
            return "unknown";
        }

        string lr0 = Units.Number(spec.BaseLearningRate);
        string text = spec.Kind switch
        {
            ScheduleKind.Constant => $"constant {lr0}",
            ScheduleKind.Polynomial => string.Create(CultureInfo.InvariantCulture,
                $"polynomial {lr0} -> {Units.Number(spec.EndLearningRate)} over {spec.DecaySteps} steps, power {Units.Number(spec.Power == 0 ? 1 : spec.Power)}"),
            ScheduleKind.Step => string.Create(CultureInfo.InvariantCulture,
                $"step {lr0} x {Units.Number(spec.Gamma)} every {spec.DecaySteps} steps"),
            ScheduleKind.Exponential => string.Create(CultureInfo.InvariantCulture,
                $"exponential {lr0} x {Units.Number(spec.Gamma)} per {spec.DecaySteps} steps"),
            ScheduleKind.Cosine => string.Create(CultureInfo.InvariantCulture,
                $"cosine {lr0} -> {Units.Number(spec.EndLearningRate)} over {spec.DecaySteps} steps"),
            ScheduleKind.Plateau => string.Create(CultureInfo.InvariantCulture,
                $"plateau {lr0}, factor {Units.Number(spec.PlateauFactor)}, patience {spec.PlateauPatience}, cooldown {spec.PlateauCooldown}"),
            _ => spec.Kind.ToString().ToLowerInvariant(),
        };
        return spec.WarmupSteps > 0
            ? text + string.Create(CultureInfo.InvariantCulture, $", warm-up {spec.WarmupSteps} steps")
            : text;
    }

    public static string Describe(ConsistencySpec? spec) =>
        spec?.Mode switch
        {
            null => "unknown",
            ConsistencyMode.Synchronous => "synchronous",
            ConsistencyMode.Asynchronous => spec.StalenessAwareLearningRate
                ? "asynchronous, staleness-aware learning rate"
                : "asynchronous",
            ConsistencyMode.BoundedStaleness => string.Create(CultureInfo.InvariantCulture,
                $"bounded staleness s={spec.StalenessBound}") +
                (spec.StalenessAwareLearningRate ? ", staleness-aware learning rate" : string.Empty),
            _ => spec.Mode.ToString().ToLowerInvariant(),
        };
}
