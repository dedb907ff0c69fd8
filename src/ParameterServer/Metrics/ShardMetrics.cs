using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace ParamServer.Server.Metrics;

/// <summary>
/// Instruments of a shard on the meter <see cref="MeterName"/>; the server code calls the <c>Record…</c> and
/// <c>Set…</c> methods, and the Prometheus endpoint exports them. Every method is thread-safe and cheap enough for
/// the push path. Names, units and labels are listed in docs/metrics.md.
/// </summary>
public sealed class ShardMetrics
{
    /// <summary>Name of the meter that owns every shard instrument.</summary>
    public const string MeterName = "ParamServer.Shard";

    private static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly long[] StalenessBuckets = [0, 1, 2, 3, 4, 6, 8, 12, 16, 32, 64];

    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, long> _lastCheckpointTimestamps = new(StringComparer.Ordinal);
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Histogram<double> _applyDuration;
    private readonly Counter<long> _steps;
    private readonly Gauge<long> _version;
    private readonly Histogram<long> _staleness;
    private readonly Gauge<double> _learningRate;
    private readonly Gauge<int> _liveWorkers;
    private readonly Counter<long> _checkpoints;
    private readonly Counter<long> _rejectedCalls;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public ShardMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        var meter = meterFactory.Create(MeterName);

        _pushes = meter.CreateCounter<long>("paramserver.shard.pushes", "{push}",
            "Gradient pushes received, by job and outcome.");
        _bytesReceived = meter.CreateCounter<long>("paramserver.shard.received", "By",
            "Gradient payload bytes received from workers.");
        _bytesSent = meter.CreateCounter<long>("paramserver.shard.sent", "By",
            "Weight payload bytes sent to workers and subscribers.");
        _applyDuration = meter.CreateHistogram("paramserver.shard.apply.duration", "s",
            "Time to apply one aggregated gradient with the optimizer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _steps = meter.CreateCounter<long>("paramserver.shard.steps", "{step}",
            "Optimizer steps applied; rate() of it is the step rate.");
        _version = meter.CreateGauge<long>("paramserver.shard.version", "{version}",
            "Current version of the job's weights on this shard.");
        _staleness = meter.CreateHistogram("paramserver.shard.staleness", "{version}",
            "Versions between the weights a gradient was computed on and the shard's version when it arrived.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = StalenessBuckets });
        _learningRate = meter.CreateGauge<double>("paramserver.shard.learning_rate", null,
            "Learning rate of the most recent step, after the schedule and any operator override.");
        _liveWorkers = meter.CreateGauge<int>("paramserver.shard.workers.live", "{worker}",
            "Registered workers whose heartbeat has not timed out.");
        _checkpoints = meter.CreateCounter<long>("paramserver.shard.checkpoints", "{checkpoint}",
            "Checkpoints attempted, by job and outcome (written or failed).");
        meter.CreateObservableGauge("paramserver.shard.checkpoint.age", ObserveCheckpointAges, "s",
            "Seconds since the job's last checkpoint was written; absent before the first one.");
        _rejectedCalls = meter.CreateCounter<long>("paramserver.shard.operator.rejected", "{call}",
            "Operator calls rejected for a missing or wrong bearer token, by method and status code.");
    }

    /// <summary>Counts one push of <paramref name="jobId"/> with an outcome from <see cref="PushOutcome"/>.</summary>
    public void RecordPush(string jobId, string outcome) =>
        _pushes.Add(1, new KeyValuePair<string, object?>("job", jobId), new("outcome", outcome));

    /// <summary>Adds gradient payload bytes received for <paramref name="jobId"/>.</summary>
    public void RecordBytesReceived(string jobId, long bytes) => _bytesReceived.Add(bytes, Job(jobId));

    /// <summary>Adds weight payload bytes sent for <paramref name="jobId"/>.</summary>
    public void RecordBytesSent(string jobId, long bytes) => _bytesSent.Add(bytes, Job(jobId));

    /// <summary>Records the staleness, in versions, of an accepted push.</summary>
    public void RecordStaleness(string jobId, long versions) => _staleness.Record(versions, Job(jobId));

    /// <summary>Records one applied step: its optimizer time and the version it produced.</summary>
    public void RecordApply(string jobId, TimeSpan duration, long newVersion)
    {
        var job = Job(jobId);
        _applyDuration.Record(duration.TotalSeconds, job);
        _steps.Add(1, job);
        _version.Record(newVersion, job);
    }

    /// <summary>Sets the current version, for example after a restore from a checkpoint.</summary>
    public void SetVersion(string jobId, long version) => _version.Record(version, Job(jobId));

    /// <summary>Sets the learning rate in effect for <paramref name="jobId"/>.</summary>
    public void SetLearningRate(string jobId, double learningRate) => _learningRate.Record(learningRate, Job(jobId));

    /// <summary>Sets the number of live workers of <paramref name="jobId"/>.</summary>
    public void SetLiveWorkers(string jobId, int count) => _liveWorkers.Record(count, Job(jobId));

    /// <summary>Counts a written checkpoint and restarts the job's checkpoint age at zero.</summary>
    public void RecordCheckpointWritten(string jobId)
    {
        _lastCheckpointTimestamps[jobId] = _timeProvider.GetTimestamp();
        _checkpoints.Add(1, new KeyValuePair<string, object?>("job", jobId), new("outcome", "written"));
    }

    /// <summary>Counts a checkpoint that failed; the age keeps growing.</summary>
    public void RecordCheckpointFailed(string jobId) =>
        _checkpoints.Add(1, new KeyValuePair<string, object?>("job", jobId), new("outcome", "failed"));

    /// <summary>Counts an operator call rejected by the bearer-token check.</summary>
    public void RecordRejectedCall(string method, StatusCode code) =>
        _rejectedCalls.Add(1, new KeyValuePair<string, object?>("method", method), new("code", code.ToString()));

    private static KeyValuePair<string, object?> Job(string jobId) => new("job", jobId);

    private IEnumerable<Measurement<double>> ObserveCheckpointAges()
    {
        foreach (var (jobId, timestamp) in _lastCheckpointTimestamps)
        {
            yield return new Measurement<double>(_timeProvider.GetElapsedTime(timestamp).TotalSeconds, Job(jobId));
        }
    }
}
