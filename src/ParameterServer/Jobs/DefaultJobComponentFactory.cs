using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Jobs;

/// <summary>Creates optimizers and schedules with <see cref="OptimizerFactory"/> and <see cref="ScheduleFactory"/>.</summary>
internal sealed class DefaultJobComponentFactory : IJobComponentFactory
{
    private readonly ILoggerFactory? _loggers;

    public DefaultJobComponentFactory(ILoggerFactory? loggers = null) => _loggers = loggers;

    public IOptimizer CreateOptimizer(OptimizerSpec spec, int length) =>
        OptimizerFactory.Create(spec, length, logger: _loggers?.CreateLogger(typeof(OptimizerFactory)));

    public ILearningRateSchedule CreateSchedule(ScheduleSpec spec) =>
        ScheduleFactory.Create(spec, _loggers?.CreateLogger(typeof(ScheduleFactory)));
}
