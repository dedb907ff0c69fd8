using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Schedules;

/// <summary>
/// Checks a ScheduleSpec before a job is created. Each message names the field as "schedule.FIELD", the value
/// received and the accepted range, for example "schedule.decay_steps is 0; expected a value >= 1". Fields the
/// kind does not use are not checked and have no effect.
/// </summary>
public static class ScheduleSpecValidator
{
    private const string Prefix = "schedule.";

    /// <summary>Returns every problem found in <paramref name="spec"/>; an empty list means it is valid.</summary>
    public static IReadOnlyList<string> Validate(ScheduleSpec? spec)
    {
        var errors = new List<string>();
        var rules = new SpecRules(Prefix, errors);
        if (spec is null)
        {
            errors.Add("schedule is missing; expected a ScheduleSpec with a kind and a base_learning_rate.");
            return errors;
        }

        if (spec.Kind == ScheduleKind.Unspecified || !Enum.IsDefined(spec.Kind))
        {
            errors.Add(
                $"{Prefix}kind is {SpecRules.FormatEnum(spec.Kind)}; expected one of "
                + $"{SpecRules.KnownValues<ScheduleKind>()}.");
        }

        rules.Positive("base_learning_rate", spec.BaseLearningRate);
        rules.NonNegative("warmup_steps", spec.WarmupSteps);
        rules.ClosedUnit("warmup_start_factor", spec.WarmupStartFactor);
        switch (spec.Kind)
        {
            case ScheduleKind.Polynomial:
                rules.Positive("decay_steps", spec.DecaySteps);
                rules.NonNegative("power", spec.Power, " (0 means 1)");
                RequireFloor(rules, "end_learning_rate", spec.EndLearningRate, spec.BaseLearningRate);
                break;
            case ScheduleKind.Step:
            case ScheduleKind.Exponential:
                rules.Positive("decay_steps", spec.DecaySteps);
                if (!(spec.Gamma > 0 && spec.Gamma <= 1))
                {
                    rules.Add($"{Prefix}gamma is {SpecRules.Format(spec.Gamma)}; expected a value in (0, 1].");
                }

                break;
            case ScheduleKind.Cosine:
                rules.Positive("decay_steps", spec.DecaySteps);
                RequireFloor(rules, "end_learning_rate", spec.EndLearningRate, spec.BaseLearningRate);
                break;
            case ScheduleKind.Plateau:
                ValidatePlateau(spec, rules);
                break;
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every problem, joined by "; ", when the spec is invalid.</summary>
    public static void ThrowIfInvalid(ScheduleSpec? spec)
    {
        IReadOnlyList<string> errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(spec));
        }
    }

    private static void ValidatePlateau(ScheduleSpec spec, SpecRules rules)
    {
        if (spec.PlateauFactor != 0)
        {
            rules.OpenUnit("plateau_factor", spec.PlateauFactor);
        }

        rules.NonNegative("plateau_patience", spec.PlateauPatience);
        rules.NonNegative("plateau_cooldown", spec.PlateauCooldown);
        RequireFloor(rules, "plateau_min_learning_rate", spec.PlateauMinLearningRate, spec.BaseLearningRate);
        if (!Enum.IsDefined(spec.PlateauThresholdMode))
        {
            rules.Add(
                $"{Prefix}plateau_threshold_mode is {SpecRules.FormatEnum(spec.PlateauThresholdMode)}; expected one "
                + $"of {SpecRules.KnownValues<PlateauThresholdMode>()} (unset means relative).");
        }
        else if (spec.PlateauThresholdMode == PlateauThresholdMode.Absolute)
        {
            rules.NonNegative("plateau_threshold", spec.PlateauThreshold);
        }
        else
        {
            rules.HalfOpenUnit("plateau_threshold", spec.PlateauThreshold);
        }
    }

    private static void RequireFloor(SpecRules rules, string field, double value, double baseLearningRate)
    {
        if (!(value >= 0 && value <= baseLearningRate))
        {
            rules.Add(
                $"{Prefix}{field} is {SpecRules.Format(value)}; expected a value in "
                + $"[0, {SpecRules.Format(baseLearningRate)}] (at most {Prefix}base_learning_rate).");
        }
    }
}
