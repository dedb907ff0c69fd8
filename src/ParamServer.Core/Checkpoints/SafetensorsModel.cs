namespace ParamServer.Checkpoints;

/// <summary>Tensors of a safetensors file in data order, with the string metadata of its header.</summary>
public sealed record SafetensorsModel(IReadOnlyList<SafetensorsTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    public SafetensorsTensor this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"Tensor '{name}' is not in the file.");
}
