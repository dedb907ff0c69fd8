namespace ParamServer.Checkpoints;

/// <summary>A float32 tensor read from a safetensors file, row-major.</summary>
public sealed record SafetensorsTensor(string Name, long[] Shape, float[] Values);
