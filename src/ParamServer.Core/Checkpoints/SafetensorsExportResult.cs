namespace ParamServer.Checkpoints;

/// <summary>What an export wrote: the file, its tensor count, its size in bytes and the model version.</summary>
public sealed record SafetensorsExportResult(string Path, int Tensors, long Bytes, long Version);
