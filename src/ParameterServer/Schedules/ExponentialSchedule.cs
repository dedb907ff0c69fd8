namespace ParamServer.Server.Schedules;

/// <summary>lr(t) = lr0 * gamma^(t / decay_steps), with a real exponent, so the rate decays smoothly.</summary>
public sealed class ExponentialSchedule(double baseLearningRate, long decaySteps, double gamma) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double BaseLearningRate { get; } = baseLearningRate;

    public long DecaySteps { get; } = decaySteps;

    public double Gamma { get; } = gamma;

    protected override double ComputeLearningRate(long step) =>
        BaseLearningRate * Math.Pow(Gamma, (double)step / DecaySteps);
}
