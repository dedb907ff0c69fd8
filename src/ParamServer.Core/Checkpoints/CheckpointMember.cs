namespace ParamServer.Checkpoints;

/// <summary>A worker registered with the shard when the checkpoint was taken.</summary>
public sealed record CheckpointMember(uint WorkerId, string Name, bool Evaluator, long LastStep);
