namespace ParamServer.Server.Schedules;

/// <summary>lr(t) = lr0 * gamma^floor(t / decay_steps): the rate drops by gamma at t = decay_steps, 2 * decay_steps, ...</summary>
public sealed class StepSchedule(double baseLearningRate, long decaySteps, double gamma) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double BaseLearningRate { get; } = baseLearningRate;

    public long DecaySteps { get; } = decaySteps;

    public double Gamma { get; } = gamma;

    protected override double ComputeLearningRate(long step) => BaseLearningRate * Math.Pow(Gamma, step / DecaySteps);
}
