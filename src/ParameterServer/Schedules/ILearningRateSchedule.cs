namespace ParamServer.Server.Schedules;

/// <summary>
/// Learning rate as a function of the shard's global step. The rate is computed from the step each time, never
/// kept as a running product, so every shard returns the same rate for the same step and state.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>Returns the learning rate for the update that takes the weights from version <paramref name="step"/> to step + 1.</summary>
    double GetLearningRate(long step);

    /// <summary>
    /// Feeds a validation loss reported at <paramref name="step"/>. Only reduce-on-plateau schedules react; the
    /// others return an outcome with <see cref="PlateauOutcome.Reduced"/> false.
    /// </summary>
    PlateauOutcome ReportValidationLoss(long step, double validationLoss);

    /// <summary>Mutable state (plateau counters and scale), for checkpoints.</summary>
    ScheduleState CaptureState();

    void RestoreState(ScheduleState state);
}

/// <summary>Result of one validation-loss report.</summary>
public readonly record struct PlateauOutcome(bool Reduced, long BadReports, double Scale);

/// <summary>
/// State of a schedule that depends on reports rather than on the step alone: the plateau multiplier, the best
/// loss seen, the count of reports without improvement and the cooldown reports left.
/// </summary>
public sealed record ScheduleState(double Scale, double BestLoss, long BadReports, long CooldownLeft, long Reports);
