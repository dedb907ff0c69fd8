namespace ParamServer.Checkpoints;

/// <summary>
/// A named optimizer state array in a checkpoint, such as "exp_avg" or "exp_avg_sq", with one float32 value per
/// element of the shard's range.
/// </summary>
public sealed record CheckpointBuffer(string Name, float[] Values);
