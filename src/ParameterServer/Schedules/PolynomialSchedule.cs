namespace ParamServer.Server.Schedules;

/// <summary>
/// lr(t) = (lr0 - floor) * (1 - min(t, T) / T)^power + floor: lr0 at t = 0, the floor from t = T on, never below
/// the floor (which is at least 0). With lr0 = 0.1, T = 100, power 2 and floor 0 the rate at t = 50 is 0.025.
/// </summary>
/// <param name="baseLearningRate">lr0.</param>
/// <param name="decaySteps">The horizon T, at least 1.</param>
/// <param name="power">The exponent, greater than 0.</param>
/// <param name="endLearningRate">The floor, in [0, lr0].</param>
public sealed class PolynomialSchedule(double baseLearningRate, long decaySteps, double power, double endLearningRate)
    : LearningRateSchedule
{
    /// <inheritdoc />
    public override double BaseLearningRate { get; } = baseLearningRate;

    public long DecaySteps { get; } = decaySteps;

    public double Power { get; } = power;

    public double EndLearningRate { get; } = endLearningRate;

    protected override double ComputeLearningRate(long step)
    {
        if (step >= DecaySteps)
        {
            return EndLearningRate;
        }

        double remaining = 1 - ((double)step / DecaySteps);
        return ((BaseLearningRate - EndLearningRate) * Math.Pow(remaining, Power)) + EndLearningRate;
    }
}
