using System.Diagnostics.Metrics;

namespace ParamServer.Worker.Metrics;

/// <summary>
/// Instruments of a worker on the meter <see cref="MeterName"/>. <see cref="MetricsTrainingProgress"/> records them
/// from the training loop's progress events, so the loop needs no metrics code of its own. Every method is
/// thread-safe. Names, units and labels are listed in docs/metrics.md.
/// </summary>
public sealed class WorkerMetrics
{
    /// <summary>Name of the meter that owns every worker instrument.</summary>
    public const string MeterName = "ParamServer.Worker";

    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Histogram<double> _stepDuration;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _samples;
    private readonly Gauge<double> _loss;
    private readonly Gauge<long> _version;
    private readonly Counter<long> _epochs;
    private readonly Counter<long> _rejoins;
    private readonly Gauge<double> _validationLoss;
    private readonly Gauge<double> _validationAccuracy;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref
    /// name="meterFactory"/>.</summary>
    public WorkerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);

        _stepDuration = meter.CreateHistogram("paramserver.worker.step.duration", "s",
            "Wall time of one training step: gradient computation plus the exchange with every shard.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _steps = meter.CreateCounter<long>("paramserver.worker.steps", "{step}", "Training steps completed.");
        _samples = meter.CreateCounter<long>("paramserver.worker.samples", "{sample}", "Training samples processed.");
        _loss = meter.CreateGauge<double>("paramserver.worker.loss", null,
            "Mean minibatch training loss of the last step.");
        _version = meter.CreateGauge<long>("paramserver.worker.version", "{version}",
            "Version of shard 0's weights after the worker's last step or evaluation.");
        _epochs = meter.CreateCounter<long>("paramserver.worker.epochs", "{epoch}",
            "Epochs in which the worker visited its whole block of the training set.");
        _rejoins = meter.CreateCounter<long>("paramserver.worker.rejoins", "{registration}",
            "Registrations repeated because a shard no longer knew the worker, by shard index.");
        _validationLoss = meter.CreateGauge<double>("paramserver.worker.validation.loss", null,
            "Test-set loss of the last evaluation (evaluator workers only).");
        _validationAccuracy = meter.CreateGauge<double>("paramserver.worker.validation.accuracy", null,
            "Test-set accuracy, from 0 to 1, of the last evaluation (evaluator workers only).");
    }

    /// <summary>Records one completed step: its wall time, samples, loss and the version it produced.</summary>
    public void RecordStep(string jobId, TimeSpan duration, int samples, double loss, long version)
    {
        var job = Job(jobId);
        _stepDuration.Record(duration.TotalSeconds, job);
        _steps.Add(1, job);
        _samples.Add(samples, job);
        _version.Record(version, job);
        if (double.IsFinite(loss))
        {
            _loss.Record(loss, job);
        }
    }

    /// <summary>Counts one completed epoch.</summary>
    public void RecordEpoch(string jobId) => _epochs.Add(1, Job(jobId));

    /// <summary>Counts a repeated registration with shard <paramref name="shardIndex"/>.</summary>
    public void RecordRejoin(string jobId, int shardIndex) =>
        _rejoins.Add(1, new KeyValuePair<string, object?>("job", jobId), new("shard", shardIndex));

    /// <summary>Records an evaluation's test-set loss and accuracy.</summary>
    public void RecordEvaluation(string jobId, long version, double loss, double accuracy)
    {
        var job = Job(jobId);
        _version.Record(version, job);
        _validationLoss.Record(loss, job);
        _validationAccuracy.Record(accuracy, job);
    }

    private static KeyValuePair<string, object?> Job(string jobId) => new("job", jobId);
}
