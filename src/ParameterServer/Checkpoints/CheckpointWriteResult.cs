namespace ParamServer.Server.Checkpoints;

/// <summary>A checkpoint that was written: its file, the version it contains and its size in bytes.</summary>
public sealed record CheckpointWriteResult(string Path, long Version, long Bytes);
