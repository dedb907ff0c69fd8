using System.Diagnostics;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Metrics;

/// <summary>Wraps an optimizer to record the duration of every <see cref="IOptimizer.Apply"/> call.</summary>
internal sealed class TimedOptimizer : IOptimizer
{
    private readonly IOptimizer _inner;
    private readonly ShardMetrics _metrics;

    public TimedOptimizer(IOptimizer inner, ShardMetrics metrics)
    {
        _inner = inner;
        _metrics = metrics;
    }

    public long UpdateCount => _inner.UpdateCount;

    public IReadOnlyList<OptimizerBuffer> StateBuffers => _inner.StateBuffers;

    public void Apply(Span<float> weights, Span<float> gradient, double learningRate)
    {
        long started = Stopwatch.GetTimestamp();
        _inner.Apply(weights, gradient, learningRate);
        _metrics.RecordApplyDuration(Stopwatch.GetElapsedTime(started));
    }

    public void RestoreState(long updateCount, IReadOnlyList<OptimizerBuffer> buffers) =>
        _inner.RestoreState(updateCount, buffers);
}
