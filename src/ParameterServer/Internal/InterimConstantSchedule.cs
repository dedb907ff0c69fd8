using ParamServer.Protocol.V1;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Internal;

/// <summary>A constant learning rate, standing in until the schedule library is available.</summary>
internal sealed class InterimConstantSchedule : ILearningRateSchedule
{
    private readonly double _rate;

    private InterimConstantSchedule(double rate) => _rate = rate;

    public static InterimConstantSchedule Create(ScheduleSpec spec)
    {
        if (spec.Kind is not (ScheduleKind.Unspecified or ScheduleKind.Constant))
        {
            throw new ArgumentException($"schedule.kind {spec.Kind} is not supported yet; expected CONSTANT.", nameof(spec));
        }

        return new InterimConstantSchedule(spec.BaseLearningRate);
    }

    public double GetLearningRate(long step) => _rate;

    public PlateauOutcome ReportValidationLoss(long step, double validationLoss) => new(false, 0, 1.0);

    public ScheduleState CaptureState() => new(1.0, double.PositiveInfinity, 0, 0, 0);

    public void RestoreState(ScheduleState state)
    {
    }
}
