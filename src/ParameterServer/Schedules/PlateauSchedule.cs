using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Schedules;

/// <summary>
/// Reduce-on-plateau, as PyTorch's ReduceLROnPlateau in mode "min": lr(t) = max(lr0 * scale, min_lr), where the
/// scale starts at 1 and is multiplied by the factor when the reported validation loss stops improving.
/// </summary>
/// <remarks>
/// <para>
/// Each report runs these steps in order. (1) A loss is an improvement when it is below best * (1 - threshold) in
/// relative mode, or below best - threshold in absolute mode; best starts at +infinity. An improvement sets best
/// to the loss and the bad-report count to 0; any other loss, NaN included, adds 1 to the count. (2) During
/// cooldown the cooldown counter drops by 1 and the bad-report count is reset to 0. (3) When the count exceeds
/// the patience, the scale is multiplied by the factor (unless that would lower the rate by no more than
/// <see cref="ScheduleDefaults.PlateauMinimumChange"/>, which happens at the floor), the cooldown counter is set
/// to the cooldown and the count to 0.
/// </para>
/// <para>
/// So with patience p the rate drops on the (p + 1)th consecutive report without improvement, and after a drop
/// with cooldown c the next drop comes at the earliest on the (c + p + 1)th report after it. The new rate applies
/// to every step computed after the report returns.
/// </para>
/// </remarks>
public sealed class PlateauSchedule : LearningRateSchedule
{
    private readonly ILogger _logger;
    private double _scale = 1.0;
    private double _bestLoss = double.PositiveInfinity;
    private long _badReports;
    private long _cooldownLeft;
    private long _reports;

    /// <param name="baseLearningRate">lr0, the rate before any reduction.</param>
    /// <param name="factor">Multiplier per reduction, in (0, 1).</param>
    /// <param name="patience">Reports without improvement tolerated before a reduction, at least 0.</param>
    /// <param name="threshold">Minimum improvement: a fraction of the best loss, or an absolute amount.</param>
    /// <param name="thresholdMode">How <paramref name="threshold"/> is read; unspecified means relative.</param>
    /// <param name="cooldown">Reports after a reduction during which bad reports are not counted.</param>
    /// <param name="minimumLearningRate">The rate never drops below this, in [0, lr0].</param>
    /// <param name="logger">Receives an Information line per reduction; null logs nothing.</param>
    public PlateauSchedule(
        double baseLearningRate,
        double factor,
        long patience,
        double threshold,
        PlateauThresholdMode thresholdMode,
        long cooldown,
        double minimumLearningRate,
        ILogger? logger = null)
    {
        BaseLearningRate = baseLearningRate;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode == PlateauThresholdMode.Unspecified ? PlateauThresholdMode.Relative : thresholdMode;
        Cooldown = cooldown;
        MinimumLearningRate = minimumLearningRate;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override double BaseLearningRate { get; }

    public double Factor { get; }

    public long Patience { get; }

    public double Threshold { get; }

    public PlateauThresholdMode ThresholdMode { get; }

    public long Cooldown { get; }

    public double MinimumLearningRate { get; }

    /// <summary>The product of the reductions applied so far, 1 before the first.</summary>
    public double Scale => _scale;

    /// <inheritdoc />
    public override PlateauOutcome ReportValidationLoss(long step, double validationLoss)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _reports++;
        if (IsImprovement(validationLoss))
        {
            _bestLoss = validationLoss;
            _badReports = 0;
        }
        else
        {
            _badReports++;
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badReports = 0;
        }

        if (_badReports <= Patience)
        {
            return new PlateauOutcome(false, _badReports, _scale);
        }

        long badReports = _badReports;
        _cooldownLeft = Cooldown;
        _badReports = 0;
        double current = ScaledRate(_scale);
        double reducedScale = _scale * Factor;
        if (current - ScaledRate(reducedScale) <= ScheduleDefaults.PlateauMinimumChange)
        {
            return new PlateauOutcome(false, 0, _scale);
        }

        OptimizerLog.PlateauReduced(_logger, step, validationLoss, badReports, _scale, reducedScale);
        _scale = reducedScale;
        return new PlateauOutcome(true, 0, _scale);
    }

    /// <inheritdoc />
    public override ScheduleState CaptureState() => new(_scale, _bestLoss, _badReports, _cooldownLeft, _reports);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field of the state is out of range.</exception>
    public override void RestoreState(ScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!(state.Scale > 0 && state.Scale <= 1))
        {
            throw new ArgumentException($"The plateau scale is {state.Scale}; expected a value in (0, 1].", nameof(state));
        }

        if (double.IsNaN(state.BestLoss))
        {
            throw new ArgumentException("The plateau best loss is NaN; expected a number or +infinity.", nameof(state));
        }

        if (state.BadReports < 0 || state.CooldownLeft < 0 || state.Reports < 0)
        {
            throw new ArgumentException(
                $"The plateau counters are {state.BadReports} bad reports, {state.CooldownLeft} cooldown reports "
                + $"and {state.Reports} reports; expected values >= 0.",
                nameof(state));
        }

        _scale = state.Scale;
        _bestLoss = state.BestLoss;
        _badReports = state.BadReports;
        _cooldownLeft = state.CooldownLeft;
        _reports = state.Reports;
    }

    protected override double ComputeLearningRate(long step) => ScaledRate(_scale);

    private double ScaledRate(double scale) => Math.Max(BaseLearningRate * scale, MinimumLearningRate);

    private bool IsImprovement(double loss) => ThresholdMode == PlateauThresholdMode.Absolute
        ? loss < _bestLoss - Threshold
        : loss < _bestLoss * (1 - Threshold);
}
