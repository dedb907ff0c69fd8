using System.Collections.Concurrent;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Records progress events and lets a test act synchronously inside the loop after a given step.</summary>
internal sealed class RecordingProgress : ITrainingProgress
{
    public ConcurrentQueue<StepCompleted> Steps { get; } = new();

    public ConcurrentQueue<EpochCompleted> Epochs { get; } = new();

    public ConcurrentQueue<EvaluationCompleted> Evaluations { get; } = new();

    public ConcurrentQueue<ShardRejoined> Rejoins { get; } = new();

    public TrainingStarted? Start { get; private set; }

    /// <summary>Runs inside the training loop after each reported step, before the next one starts.</summary>
    public Action<StepCompleted>? OnStep { get; set; }

    public void Started(TrainingStarted started) => Start = started;

    public void StepCompleted(StepCompleted step)
    {
        Steps.Enqueue(step);
        OnStep?.Invoke(step);
    }

    public void EpochCompleted(EpochCompleted epoch) => Epochs.Enqueue(epoch);

    public void Evaluated(EvaluationCompleted evaluation) => Evaluations.Enqueue(evaluation);

    public void Rejoined(ShardRejoined rejoin) => Rejoins.Enqueue(rejoin);

    public void Finished(TrainingSummary summary, int exitCode)
    {
    }

    public void Failed(string jobId, int exitCode, string error)
    {
    }
}
