using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Optimizers;

/// <summary>Log messages of the optimizers and schedules (event ids 2000-2999).</summary>
internal static partial class OptimizerLog
{
    [LoggerMessage(
        EventId = 2000,
        Level = LogLevel.Debug,
        Message = "Created {Kind} optimizer for {Length} elements, up to {Threads} threads above {Threshold} elements")]
    public static partial void OptimizerCreated(
        ILogger logger,
        OptimizerKind kind,
        int length,
        int threads,
        int threshold);

    [LoggerMessage(
        EventId = 2100,
        Level = LogLevel.Debug,
        Message = "Created {Kind} learning-rate schedule with base rate {BaseLearningRate} and {WarmupSteps} warm-up steps")]
    public static partial void ScheduleCreated(
        ILogger logger,
        ScheduleKind kind,
        double baseLearningRate,
        long warmupSteps);

    [LoggerMessage(
        EventId = 2101,
        Level = LogLevel.Information,
        Message = "Validation loss {Loss} at step {Step} was the {BadReports}th report without improvement; "
            + "learning-rate scale reduced from {OldScale} to {NewScale}")]
    public static partial void PlateauReduced(
        ILogger logger,
        long step,
        double loss,
        long badReports,
        double oldScale,
        double newScale);
}
