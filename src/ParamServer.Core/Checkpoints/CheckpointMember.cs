namespace ParamServer.Checkpoints;

/// <summary>A worker registered with the shard when the checkpoint was taken.</summary>
/// <param name="NextStep">The worker step the shard accepts next from this worker.</param>
/// <param name="HasPushed">Whether the worker has an accepted push; <paramref name="LastStep"/> is meaningful only then.</param>
/// <param name="LastStep">Step of the worker's last accepted push.</param>
public sealed record CheckpointMember(
    uint WorkerId,
    string Name,
    bool Evaluator,
    long NextStep,
    bool HasPushed,
    long LastStep);
