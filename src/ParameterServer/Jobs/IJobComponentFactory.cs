using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Jobs;

/// <summary>Creates the optimizer and learning-rate schedule of a job; replaceable in tests.</summary>
public interface IJobComponentFactory
{
    /// <summary>Creates the optimizer for a shard slice of <paramref name="length"/> elements.</summary>
    /// <exception cref="ArgumentException">The spec is invalid or names an unsupported kind.</exception>
    IOptimizer CreateOptimizer(OptimizerSpec spec, int length);

    /// <exception cref="ArgumentException">The spec is invalid or names an unsupported kind.</exception>
    ILearningRateSchedule CreateSchedule(ScheduleSpec spec);
}
