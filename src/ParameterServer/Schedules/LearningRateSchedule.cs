namespace ParamServer.Server.Schedules;

/// <summary>
/// Base of the schedules whose rate depends on the step alone. Validation-loss reports are counted and otherwise
/// ignored; the captured state is the neutral one (scale 1, best loss +infinity, no counters).
/// </summary>
public abstract class LearningRateSchedule : ILearningRateSchedule
{
    private long _reports;

    /// <summary>The rate at step 0 before any warm-up, schedule.base_learning_rate.</summary>
    public abstract double BaseLearningRate { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double GetLearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return ComputeLearningRate(step);
    }

    /// <inheritdoc />
    public virtual PlateauOutcome ReportValidationLoss(long step, double validationLoss)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _reports++;
        return new PlateauOutcome(false, 0, 1.0);
    }

    /// <inheritdoc />
    public virtual ScheduleState CaptureState() => new(1.0, double.PositiveInfinity, 0, 0, _reports);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The state has negative counters.</exception>
    public virtual void RestoreState(ScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Reports < 0)
        {
            throw new ArgumentException($"The schedule state has {state.Reports} reports; expected a count >= 0.", nameof(state));
        }

        _reports = state.Reports;
    }

    /// <summary>Returns the rate for <paramref name="step"/>, which is at least 0.</summary>
    protected abstract double ComputeLearningRate(long step);
}
