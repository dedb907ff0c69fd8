namespace ParamServer.Checkpoints;

/// <summary>
/// State of a learning-rate schedule that reports, not the step, determine: the plateau multiplier, the best
/// validation loss seen, the count of reports without improvement, the cooldown reports left and the count of
/// reports received. Schedules that depend on the step alone store <see cref="Initial"/>.
/// </summary>
public sealed record CheckpointScheduleState(
    double Scale,
    double BestLoss,
    long BadReports,
    long CooldownLeft,
    long Reports)
{
    /// <summary>State of a schedule that has received no report: scale 1, best loss +infinity, counters 0.</summary>
    public static CheckpointScheduleState Initial { get; } = new(1.0, double.PositiveInfinity, 0, 0, 0);
}
