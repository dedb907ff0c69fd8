using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// Checks an OptimizerSpec before a job is created. Each message names the field as "optimizer.FIELD", the
/// value received and the accepted range, for example "optimizer.beta2 is 1.5; expected a value in [0, 1)".
/// Fields the kind does not use are not checked and have no effect, except <c>nesterov</c> and <c>centered</c>:
/// setting either on a kind without that variant is an error, because the request could not be honoured.
/// </summary>
public static class OptimizerSpecValidator
{
    private const string Prefix = "optimizer.";
    private const string Disables = " (0 disables it)";

    /// <summary>Returns every problem found in <paramref name="spec"/>; an empty list means it is valid.</summary>
    public static IReadOnlyList<string> Validate(OptimizerSpec? spec)
    {
        var errors = new List<string>();
        var rules = new SpecRules(Prefix, errors);
        if (spec is null)
        {
            errors.Add("optimizer is missing; expected an OptimizerSpec with a kind.");
            return errors;
        }

        if (spec.Kind == OptimizerKind.Unspecified || !Enum.IsDefined(spec.Kind))
        {
            errors.Add(
                $"{Prefix}kind is {FormatKind(spec.Kind)}; expected one of {SpecRules.KnownValues<OptimizerKind>()}.");
            return errors;
        }

        OptimizerHyperparameters resolved = OptimizerHyperparameters.FromSpec(spec);
        switch (spec.Kind)
        {
            case OptimizerKind.Momentum:
                rules.HalfOpenUnit("momentum", resolved.Momentum);
                rules.ClosedUnit("dampening", resolved.Dampening);
                if (spec.Nesterov && !(resolved.Momentum > 0))
                {
                    errors.Add(
                        $"{Prefix}nesterov is true with {Prefix}momentum {Format(resolved.Momentum)}; "
                        + "Nesterov momentum requires a momentum > 0.");
                }

                if (spec.Nesterov && resolved.Dampening != 0)
                {
                    errors.Add(
                        $"{Prefix}nesterov is true with {Prefix}dampening {Format(resolved.Dampening)}; "
                        + "Nesterov momentum requires a dampening of 0.");
                }

                break;
            case OptimizerKind.MomentumEma:
                rules.HalfOpenUnit("momentum", resolved.Momentum);
                break;
            case OptimizerKind.Adagrad:
                rules.Positive("epsilon", resolved.Epsilon);
                rules.NonNegative("initial_accumulator", resolved.InitialAccumulator);
                break;
            case OptimizerKind.Rmsprop:
                rules.HalfOpenUnit("rho", resolved.Rho);
                rules.Positive("epsilon", resolved.Epsilon);
                break;
            case OptimizerKind.Adam:
            case OptimizerKind.Adamw:
                rules.HalfOpenUnit("beta1", resolved.Beta1);
                rules.HalfOpenUnit("beta2", resolved.Beta2);
                rules.Positive("epsilon", resolved.Epsilon);
                break;
        }

        if (spec.Nesterov && spec.Kind != OptimizerKind.Momentum)
        {
            errors.Add(
                $"{Prefix}nesterov is true for {FormatKind(spec.Kind)}; Nesterov momentum exists only for "
                + $"{FormatKind(OptimizerKind.Momentum)}.");
        }

        if (spec.Centered && spec.Kind != OptimizerKind.Rmsprop)
        {
            errors.Add(
                $"{Prefix}centered is true for {FormatKind(spec.Kind)}; the centered variant exists only for "
                + $"{FormatKind(OptimizerKind.Rmsprop)}.");
        }

        rules.NonNegative("weight_decay", resolved.WeightDecay, Disables);
        rules.NonNegative("clip_value", resolved.ClipValue, Disables);
        rules.NonNegative("clip_norm", resolved.ClipNorm, Disables);
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every problem, joined by "; ", when the spec is invalid.</summary>
    public static void ThrowIfInvalid(OptimizerSpec? spec)
    {
        IReadOnlyList<string> errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(spec));
        }
    }

    private static string FormatKind(OptimizerKind kind) => SpecRules.FormatEnum(kind);

    private static string Format(double value) => SpecRules.Format(value);
}
