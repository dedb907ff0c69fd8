namespace ParamServer.Server.Schedules;

/// <summary>lr(t) = lr0 for every step.</summary>
public sealed class ConstantSchedule(double baseLearningRate) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double BaseLearningRate { get; } = baseLearningRate;

    protected override double ComputeLearningRate(long step) => BaseLearningRate;
}
