using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>Discards progress events, for Worker:Progress=false.</summary>
public sealed class NullTrainingProgress : ITrainingProgress
{
    public void Started(TrainingStarted started)
    {
    }

    public void StepCompleted(StepCompleted step)
    {
    }

    public void EpochCompleted(EpochCompleted epoch)
    {
    }

    public void Evaluated(EvaluationCompleted evaluation)
    {
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
