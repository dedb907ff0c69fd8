namespace ParamServer.Checkpoints;

/// <summary>A checkpoint file found in a shard directory, identified by the version in its name.</summary>
public sealed record CheckpointFileInfo(string Path, long Version);
