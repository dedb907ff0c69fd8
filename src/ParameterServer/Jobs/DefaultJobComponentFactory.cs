using ParamServer.Protocol.V1;
using ParamServer.Server.Internal;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Jobs;

/// <summary>Creates optimizers and schedules from their specs.</summary>
internal sealed class DefaultJobComponentFactory : IJobComponentFactory
{
    // TODO: delegate to OptimizerFactory and ScheduleFactory once they exist; until then only plain SGD and a
    // constant rate are available.
    public IOptimizer CreateOptimizer(OptimizerSpec spec, int length) => InterimSgd.Create(spec, length);

    public ILearningRateSchedule CreateSchedule(ScheduleSpec spec) => InterimConstantSchedule.Create(spec);
}
