namespace ParamServer.Server.Schedules;

/// <summary>
/// Linear warm-up over another schedule: lr(t) = inner(t) * (s + (1 - s) * t / W) for t &lt; W and
/// lr(t) = inner(t) from t = W on, with W = warmup_steps and s = warmup_start_factor. The inner schedule runs on
/// the same step t (it is not shifted by W), so a cosine horizon or step boundary means the same step with or
/// without warm-up. The first step (t = 0) gets s * inner(0), the last warm-up step (t = W - 1) gets
/// (s + (1 - s) * (W - 1) / W) * inner(W - 1). Reports and state go to the inner schedule.
/// </summary>
public sealed class LinearWarmupSchedule : LearningRateSchedule
{
    private readonly LearningRateSchedule _inner;

    /// <param name="inner">The schedule being warmed up.</param>
    /// <param name="warmupSteps">W, at least 1.</param>
    /// <param name="startFactor">s, in [0, 1].</param>
    public LinearWarmupSchedule(LearningRateSchedule inner, long warmupSteps, double startFactor)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupSteps, 1);
        _inner = inner;
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
    }

    /// <summary>The schedule being warmed up.</summary>
    public LearningRateSchedule Inner => _inner;

    public long WarmupSteps { get; }

    public double StartFactor { get; }

    /// <inheritdoc />
    public override double BaseLearningRate => _inner.BaseLearningRate;

    /// <inheritdoc />
    public override PlateauOutcome ReportValidationLoss(long step, double validationLoss) =>
        _inner.ReportValidationLoss(step, validationLoss);

    /// <inheritdoc />
    public override ScheduleState CaptureState() => _inner.CaptureState();

    /// <inheritdoc />
    public override void RestoreState(ScheduleState state) => _inner.RestoreState(state);

    protected override double ComputeLearningRate(long step)
    {
        double rate = _inner.GetLearningRate(step);
        if (step >= WarmupSteps)
        {
            return rate;
        }

        double factor = StartFactor + ((1 - StartFactor) * step / WarmupSteps);
        return rate * factor;
    }
}
