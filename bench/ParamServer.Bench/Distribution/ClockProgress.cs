using ParamServer.Worker.Training;

namespace ParamServer.Bench.Distribution;

/// <summary>
/// Feeds one trainer's milestones to a <see cref="TrainingClock"/> and cancels the run once the test accuracy reached
/// the target. The trainer raises the events on its own loop, between steps, so the clock receives them in order.
/// </summary>
internal sealed class ClockProgress : ITrainingProgress
{
    private readonly TrainingClock? _clock;
    private readonly CancellationTokenSource _stop;

    /// <param name="clock">The clock to drive; null for a trainer that is not timed.</param>
    /// <param name="stop">Cancelled when the target is reached, which stops every trainer of the run.</param>
    public ClockProgress(TrainingClock? clock, CancellationTokenSource stop)
    {
        _clock = clock;
        _stop = stop;
    }

    public void Started(TrainingStarted started) => _clock?.Start();

    public void StepCompleted(StepCompleted step) => _clock?.StepCompleted(step.Version);

    public void EpochCompleted(EpochCompleted epoch)
    {
    }

    public void Evaluated(EvaluationCompleted evaluation)
    {
        if (_clock is not null && _clock.Evaluated(evaluation.Version, evaluation.Accuracy))
        {
            _stop.Cancel();
        }
    }

    public void Rejoined(ShardRejoined rejoin)
    {
    }

    public void Finished(TrainingSummary summary, int exitCode)
    {
    }

    public void Failed(string jobId, int exitCode, string error)
    {
    }
}
