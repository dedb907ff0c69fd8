using System.Diagnostics.Metrics;

namespace ParamServer.Worker.Metrics;

/// <summary>
/// Instruments of a worker on the meter <see cref="MeterName"/>; the training loop calls the <c>Record…</c>
/// methods. Every method is thread-safe. Names, units and labels are listed in docs/metrics.md.
/// </summary>
public sealed class WorkerMetrics
{
    /// <summary>Name of the meter that owns every worker instrument.</summary>
    public const string MeterName = "ParamServer.Worker";

    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _computeDuration;
    private readonly Histogram<double> _exchangeDuration;
    private readonly Counter<long> _steps;
    private readonly Gauge<double> _loss;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _bytesReceived;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public WorkerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };

        _stepDuration = meter.CreateHistogram("paramserver.worker.step.duration", "s",
            "Wall time of one training step: gradient computation plus the push and pull on every shard.",
            advice: advice);
        _computeDuration = meter.CreateHistogram("paramserver.worker.compute.duration", "s",
            "Time to compute one minibatch gradient on the accelerator.", advice: advice);
        _exchangeDuration = meter.CreateHistogram("paramserver.worker.exchange.duration", "s",
            "Time from the first push to the last fresh weights received, over all shards.", advice: advice);
        _steps = meter.CreateCounter<long>("paramserver.worker.steps", "{step}", "Training steps completed.");
        _loss = meter.CreateGauge<double>("paramserver.worker.loss", null, "Mean minibatch training loss of the last step.");
        _retries = meter.CreateCounter<long>("paramserver.worker.retries", "{call}",
            "Shard calls retried after a transient failure, by shard index.");
        _bytesSent = meter.CreateCounter<long>("paramserver.worker.sent", "By", "Gradient payload bytes pushed.");
        _bytesReceived = meter.CreateCounter<long>("paramserver.worker.received", "By", "Weight payload bytes pulled.");
    }

    /// <summary>Records one completed step with its phase times and its training loss.</summary>
    public void RecordStep(string jobId, TimeSpan compute, TimeSpan exchange, double loss)
    {
        var job = Job(jobId);
        _computeDuration.Record(compute.TotalSeconds, job);
        _exchangeDuration.Record(exchange.TotalSeconds, job);
        _stepDuration.Record((compute + exchange).TotalSeconds, job);
        _steps.Add(1, job);
        if (double.IsFinite(loss))
        {
            _loss.Record(loss, job);
        }
    }

    /// <summary>Counts one retried call to shard <paramref name="shardIndex"/>.</summary>
    public void RecordRetry(string jobId, int shardIndex) =>
        _retries.Add(1, new KeyValuePair<string, object?>("job", jobId), new("shard", shardIndex));

    /// <summary>Adds gradient payload bytes pushed.</summary>
    public void RecordBytesSent(string jobId, long bytes) => _bytesSent.Add(bytes, Job(jobId));

    /// <summary>Adds weight payload bytes received.</summary>
    public void RecordBytesReceived(string jobId, long bytes) => _bytesReceived.Add(bytes, Job(jobId));

    private static KeyValuePair<string, object?> Job(string jobId) => new("job", jobId);
}
