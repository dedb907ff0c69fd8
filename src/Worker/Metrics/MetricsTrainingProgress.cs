using ParamServer.Worker.Training;

namespace ParamServer.Worker.Metrics;

/// <summary>
/// Decorates the worker's <see cref="ITrainingProgress"/> to record <see cref="WorkerMetrics"/> from each event
/// before passing it on. The step duration is the time between consecutive step events (the first from the start
/// event), so it covers computation, the exchange with the shards and any wait at the synchronous barrier.
/// </summary>
internal sealed class MetricsTrainingProgress : ITrainingProgress
{
    private readonly ITrainingProgress _inner;
    private readonly WorkerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private long _lastTimestamp;

    public MetricsTrainingProgress(ITrainingProgress inner, WorkerMetrics metrics, TimeProvider timeProvider)
    {
        _inner = inner;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    public void Started(TrainingStarted started)
    {
        Interlocked.Exchange(ref _lastTimestamp, _timeProvider.GetTimestamp());
        _inner.Started(started);
    }

    public void StepCompleted(StepCompleted step)
    {
        long now = _timeProvider.GetTimestamp();
        long previous = Interlocked.Exchange(ref _lastTimestamp, now);
        var duration = previous == 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(previous, now);
        _metrics.RecordStep(step.JobId, duration, step.Samples, step.Loss, step.Version);
        _inner.StepCompleted(step);
    }

    public void EpochCompleted(EpochCompleted epoch)
    {
        _metrics.RecordEpoch(epoch.JobId);
        _inner.EpochCompleted(epoch);
    }

    public void Evaluated(EvaluationCompleted evaluation)
    {
        _metrics.RecordEvaluation(evaluation.JobId, evaluation.Version, evaluation.Loss, evaluation.Accuracy);
        _inner.Evaluated(evaluation);
    }

    public void Rejoined(ShardRejoined rejoin)
    {
        _metrics.RecordRejoin(rejoin.JobId, rejoin.Shard);
        _inner.Rejoined(rejoin);
    }

    public void Finished(TrainingSummary summary, int exitCode) => _inner.Finished(summary, exitCode);

    public void Failed(string jobId, int exitCode, string error) => _inner.Failed(jobId, exitCode, error);
}
