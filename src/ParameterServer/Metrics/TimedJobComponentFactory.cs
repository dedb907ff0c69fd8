using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Metrics;

/// <summary>Decorates the shard's component factory so that every optimizer it creates is a <see
/// cref="TimedOptimizer"/>.</summary>
internal sealed class TimedJobComponentFactory : IJobComponentFactory
{
    private readonly IJobComponentFactory _inner;
    private readonly ShardMetrics _metrics;

    public TimedJobComponentFactory(IJobComponentFactory inner, ShardMetrics metrics)
    {
        _inner = inner;
        _metrics = metrics;
    }

    public IOptimizer CreateOptimizer(OptimizerSpec spec, int length) =>
        new TimedOptimizer(_inner.CreateOptimizer(spec, length), _metrics);

    public ILearningRateSchedule CreateSchedule(ScheduleSpec spec) => _inner.CreateSchedule(spec);
}
