using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>Job components from the optimizer and schedule factories, so shard tests run Adam and cosine.</summary>
internal sealed class FactoryComponents : IJobComponentFactory
{
    public IOptimizer CreateOptimizer(OptimizerSpec spec, int length) => OptimizerFactory.Create(spec, length);

    public ILearningRateSchedule CreateSchedule(ScheduleSpec spec) => ScheduleFactory.Create(spec);
}
