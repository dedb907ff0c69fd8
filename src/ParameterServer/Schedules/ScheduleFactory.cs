using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Schedules;

/// <summary>Creates the learning-rate schedule a ScheduleSpec describes.</summary>
public static class ScheduleFactory
{
    /// <summary>
    /// Validates <paramref name="spec"/>, resolves its defaults (<see cref="ScheduleDefaults"/>) and returns the
    /// schedule, wrapped in a <see cref="LinearWarmupSchedule"/> when warmup_steps is above 0.
    /// </summary>
    /// <param name="spec">The job's schedule settings.</param>
    /// <param name="logger">Receives a Debug line on creation and an Information line per plateau reduction.</param>
    /// <exception cref="ArgumentException">
    /// The spec is invalid; the message lists every problem as <see cref="ScheduleSpecValidator"/> words it.
    /// </exception>
    public static LearningRateSchedule Create(ScheduleSpec spec, ILogger? logger = null)
    {
        ScheduleSpecValidator.ThrowIfInvalid(spec);
        logger ??= NullLogger.Instance;
        double lr0 = spec.BaseLearningRate;
        LearningRateSchedule schedule = spec.Kind switch
        {
            ScheduleKind.Constant => new ConstantSchedule(lr0),
            ScheduleKind.Polynomial => new PolynomialSchedule(
                lr0,
                spec.DecaySteps,
                spec.Power == 0 ? ScheduleDefaults.Power : spec.Power,
                spec.EndLearningRate),
            ScheduleKind.Step => new StepSchedule(lr0, spec.DecaySteps, spec.Gamma),
            ScheduleKind.Exponential => new ExponentialSchedule(lr0, spec.DecaySteps, spec.Gamma),
            ScheduleKind.Cosine => new CosineSchedule(lr0, spec.DecaySteps, spec.EndLearningRate),
            ScheduleKind.Plateau => new PlateauSchedule(
                lr0,
                spec.PlateauFactor == 0 ? ScheduleDefaults.PlateauFactor : spec.PlateauFactor,
                spec.HasPlateauPatience ? spec.PlateauPatience : ScheduleDefaults.PlateauPatience,
                spec.HasPlateauThreshold ? spec.PlateauThreshold : ScheduleDefaults.PlateauThreshold,
                spec.PlateauThresholdMode,
                spec.PlateauCooldown,
                spec.PlateauMinLearningRate,
                logger),
            _ => throw new ArgumentException($"schedule.kind {spec.Kind} has no implementation.", nameof(spec)),
        };

        if (spec.WarmupSteps > 0)
        {
            schedule = new LinearWarmupSchedule(schedule, spec.WarmupSteps, spec.WarmupStartFactor);
        }

        OptimizerLog.ScheduleCreated(logger, spec.Kind, lr0, spec.WarmupSteps);
        return schedule;
    }
}
