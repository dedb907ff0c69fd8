using ParamServer.Checkpoints;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Converts between the shard's live optimizer and schedule state and the checkpoint records, copying arrays so a
/// captured checkpoint never aliases state that later updates change.
/// </summary>
public static class CheckpointStateMapper
{
    /// <summary>Returns copies of <paramref name="optimizer"/>'s state arrays, in its order.</summary>
    public static IReadOnlyList<CheckpointBuffer> CaptureBuffers(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.StateBuffers.Select(b => new CheckpointBuffer(b.Name, (float[])b.Values.Clone())).ToArray();
    }

    /// <summary>
    /// Restores <paramref name="optimizer"/> from a checkpoint, copying the arrays so the checkpoint stays unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">Buffer names or lengths differ from the optimizer's; the message names them.</exception>
    public static void RestoreOptimizer(IOptimizer optimizer, ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(checkpoint);
        IReadOnlyList<OptimizerBuffer> live = optimizer.StateBuffers;
        IReadOnlyList<CheckpointBuffer> saved = checkpoint.OptimizerBuffers;
        string liveNames = string.Join(", ", live.Select(b => $"{b.Name}[{b.Values.Length}]"));
        string savedNames = string.Join(", ", saved.Select(b => $"{b.Name}[{b.Values.Length}]"));
        bool matches = live.Count == saved.Count
            && live.Zip(saved).All(pair => pair.First.Name == pair.Second.Name
                && pair.First.Values.Length == pair.Second.Values.Length);
        if (!matches)
        {
            throw new ArgumentException(
                $"the checkpoint of job '{checkpoint.JobId}' holds optimizer buffers ({savedNames}); the job's "
                + $"optimizer has ({liveNames}).", nameof(checkpoint));
        }

        optimizer.RestoreState(
            checkpoint.OptimizerUpdateCount,
            saved.Select(b => new OptimizerBuffer(b.Name, (float[])b.Values.Clone())).ToArray());
    }

    public static CheckpointScheduleState ToCheckpoint(ScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CheckpointScheduleState(state.Scale, state.BestLoss, state.BadReports, state.CooldownLeft, state.Reports);
    }

    public static ScheduleState ToScheduleState(CheckpointScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new ScheduleState(state.Scale, state.BestLoss, state.BadReports, state.CooldownLeft, state.Reports);
    }
}
