using System.Diagnostics.Metrics;
using Grpc.Core;

namespace ParamServer.Server.Metrics;

/// <summary>
/// The instruments of a shard that are recorded where the event happens, on the meter <see cref="MeterName"/>:
/// optimizer apply time (every optimizer is wrapped in a <see cref="TimedOptimizer"/>) and rejected operator calls.
/// Counters and gauges that the job status
/// already contains (pushes, bytes, version, learning rate, workers, checkpoints) are read at scrape time by
/// <see cref="ShardStatusInstruments"/>. Every method is thread-safe and cheap enough for the push path. Names, units
/// and labels are listed in docs/metrics.md.
/// </summary>
public sealed class ShardMetrics
{
    /// <summary>Name of the meter that owns every shard instrument.</summary>
    public const string MeterName = "ParamServer.Shard";

    private static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _applyDuration;
    private readonly Counter<long> _rejectedCalls;

    /// <summary>Creates the instruments on the meter <see cref="MeterName"/> of <paramref
    /// name="meterFactory"/>.</summary>
    public ShardMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);

        _applyDuration = meter.CreateHistogram("paramserver.shard.apply.duration", "s",
            "Time of one optimizer update of the shard's range.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _rejectedCalls = meter.CreateCounter<long>("paramserver.shard.operator.rejected", "{call}",
            "Operator calls rejected for a missing or wrong bearer token, by method and status code.");
    }

    /// <summary>Records the duration of one optimizer update.</summary>
    public void RecordApplyDuration(TimeSpan duration) => _applyDuration.Record(duration.TotalSeconds);

    /// <summary>Counts an operator call rejected by the bearer-token check.</summary>
    public void RecordRejectedCall(string method, StatusCode code) =>
        _rejectedCalls.Add(1, new KeyValuePair<string, object?>("method", method), new("code", code.ToString()));
}
