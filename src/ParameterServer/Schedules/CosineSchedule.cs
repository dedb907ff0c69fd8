namespace ParamServer.Server.Schedules;

/// <summary>
/// Cosine annealing over one period, then held: lr(t) = min + (lr0 - min) * (1 + cos(pi * t / T)) / 2 for
/// t &lt; T and lr(t) = min for t &gt;= T. It gives lr0 at t = 0 and (lr0 + min) / 2 at t = T / 2.
/// </summary>
/// <param name="baseLearningRate">lr0.</param>
/// <param name="decaySteps">The period T, at least 1.</param>
/// <param name="minimumLearningRate">The rate reached at T, in [0, lr0].</param>
public sealed class CosineSchedule(double baseLearningRate, long decaySteps, double minimumLearningRate)
    : LearningRateSchedule
{
    /// <inheritdoc />
    public override double BaseLearningRate { get; } = baseLearningRate;

    public long DecaySteps { get; } = decaySteps;

    public double MinimumLearningRate { get; } = minimumLearningRate;

    protected override double ComputeLearningRate(long step)
    {
        if (step >= DecaySteps)
        {
            return MinimumLearningRate;
        }

        double cosine = Math.Cos(Math.PI * step / DecaySteps);
        return MinimumLearningRate + ((BaseLearningRate - MinimumLearningRate) * (1 + cosine) / 2);
    }
}
