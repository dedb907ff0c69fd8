namespace ParamServer.Worker.Training;

/// <summary>Receives the milestones of a training or evaluation run, for a launcher to follow.</summary>
public interface ITrainingProgress
{
    void Started(TrainingStarted started);

    void StepCompleted(StepCompleted step);

    void EpochCompleted(EpochCompleted epoch);

    void Evaluated(EvaluationCompleted evaluation);

    void Rejoined(ShardRejoined rejoin);

    void Finished(TrainingSummary summary, int exitCode);

    /// <summary>The run ended with an error before it could produce a summary.</summary>
    void Failed(string jobId, int exitCode, string error);
}
