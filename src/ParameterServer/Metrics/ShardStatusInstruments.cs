using System.Diagnostics.Metrics;
using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;

namespace ParamServer.Server.Metrics;

/// <summary>
/// Observable instruments on the meter <see cref="ShardMetrics.MeterName"/> that read every job's
/// <see cref="JobStatus"/> (and checkpoint status, when a checkpoint service is registered) at scrape time, so the
/// exported counters are the same numbers <c>GetStatus</c> reports. One scrape builds each job's status once: the
/// snapshot is reused by every callback for <see cref="SnapshotLifetime"/>.
/// </summary>
internal sealed class ShardStatusInstruments
{
    /// <summary>How long one status snapshot serves the callbacks of a collection.</summary>
    internal static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(1);

    private readonly JobRegistry _jobs;
    private readonly ICheckpointService? _checkpoints;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sync = new();
    private IReadOnlyList<(JobStatus Job, CheckpointStatus? Checkpoint)> _snapshot = [];
    private long _snapshotTimestamp;

    public ShardStatusInstruments(
        IMeterFactory meterFactory,
        JobRegistry jobs,
        TimeProvider timeProvider,
        IEnumerable<ICheckpointService> checkpoints)
    {
        _jobs = jobs;
        _timeProvider = timeProvider;
        // The last registration wins, as with a single-service resolve; the checkpoint factory returns null when
        // checkpoints are off.
        _checkpoints = checkpoints.LastOrDefault(service => service is not null);
        var meter = meterFactory.Create(ShardMetrics.MeterName);

        meter.CreateObservableCounter("paramserver.shard.pushes", ObservePushes, "{push}",
            "Gradient pushes received, by job and outcome.");
        meter.CreateObservableCounter("paramserver.shard.received", () => PerJob(job => job.BytesIn), "By",
            "Gradient payload bytes received from workers.");
        meter.CreateObservableCounter("paramserver.shard.sent", () => PerJob(job => job.BytesOut), "By",
            "Weight payload bytes sent to workers and subscribers.");
        meter.CreateObservableGauge("paramserver.shard.version", () => PerJob(job => job.Version), "{version}",
            "Current version of the job's weights on this shard.");
        meter.CreateObservableGauge("paramserver.shard.steps_per_second", () => PerJob(job => job.StepsPerSecond),
            "{step}/s", "Recent rate of applied steps, as GetStatus reports it.");
        meter.CreateObservableGauge("paramserver.shard.staleness", ObserveMaxStaleness, "{version}",
            "Largest staleness among the job's workers: shard version minus the base version of their last push.");
        meter.CreateObservableGauge("paramserver.shard.learning_rate", () => PerJob(job => job.LearningRate), null,
            "Learning rate of the next step, after the schedule and any operator override.");
        meter.CreateObservableGauge("paramserver.shard.workers.live", ObserveLiveWorkers, "{worker}",
            "Registered training workers (evaluators excluded) that have not been evicted.");
        meter.CreateObservableCounter("paramserver.shard.evictions", () => PerJob(job => job.Evictions), "{worker}",
            "Workers evicted for missed heartbeats or by an operator.");
        meter.CreateObservableGauge("paramserver.shard.training_loss", () => PerJob(job => job.LastTrainingLoss), null,
            "Mean minibatch training loss of the most recent push.");
        meter.CreateObservableGauge("paramserver.shard.checkpoint.age", ObserveCheckpointAge, "s",
            "Seconds since the job's last checkpoint was written; absent before the first one.");
        meter.CreateObservableCounter("paramserver.shard.checkpoints", ObserveCheckpointsWritten, "{checkpoint}",
            "Checkpoints written by this shard process.");
    }

    private IEnumerable<Measurement<long>> ObservePushes()
    {
        foreach (var (job, _) in Snapshot())
        {
            yield return Push(job, PushOutcome.Applied, job.PushesApplied);
            yield return Push(job, PushOutcome.Merged, job.PushesMerged);
            yield return Push(job, PushOutcome.Deduplicated, job.PushesDeduplicated);
            yield return Push(job, PushOutcome.RejectedStale, job.PushesRejectedStale);
            foreach (var (reason, count) in job.PushesRejected)
            {
                yield return Push(job, reason, count);
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveMaxStaleness() =>
        Snapshot().Select(entry => new Measurement<long>(
            entry.Job.Workers
                .Where(worker => !worker.Evaluator)
                .Select(worker => worker.Staleness)
                .DefaultIfEmpty(0)
                .Max(),
            JobTag(entry.Job)));

    private IEnumerable<Measurement<int>> ObserveLiveWorkers() =>
        Snapshot().Select(entry => new Measurement<int>(
            entry.Job.Workers.Count(worker => !worker.Evaluator), JobTag(entry.Job)));

    private IEnumerable<Measurement<double>> ObserveCheckpointAge() =>
        Snapshot()
            .Where(entry => entry.Checkpoint is { HasCheckpoint: true })
            .Select(entry => new Measurement<double>(entry.Checkpoint!.AgeSeconds, JobTag(entry.Job)));

    private IEnumerable<Measurement<long>> ObserveCheckpointsWritten() =>
        Snapshot()
            .Where(entry => entry.Checkpoint is not null)
            .Select(entry => new Measurement<long>(entry.Checkpoint!.Written, JobTag(entry.Job)));

    private IEnumerable<Measurement<T>> PerJob<T>(Func<JobStatus, T> value)
        where T : struct =>
        Snapshot().Select(entry => new Measurement<T>(value(entry.Job), JobTag(entry.Job)));

    private IReadOnlyList<(JobStatus Job, CheckpointStatus? Checkpoint)> Snapshot()
    {
        lock (_sync)
        {
            if (_snapshotTimestamp != 0 && _timeProvider.GetElapsedTime(_snapshotTimestamp) < SnapshotLifetime)
            {
                return _snapshot;
            }

            _snapshot = _jobs.Jobs
                .Select(job => (job.GetStatus(), _checkpoints?.GetStatus(job.JobId)))
                .ToList();
            _snapshotTimestamp = _timeProvider.GetTimestamp();
            return _snapshot;
        }
    }

    private static Measurement<long> Push(JobStatus job, string outcome, long count) =>
        new(count, new KeyValuePair<string, object?>("job", job.JobId), new("outcome", outcome));

    private static KeyValuePair<string, object?> JobTag(JobStatus job) => new("job", job.JobId);
}
