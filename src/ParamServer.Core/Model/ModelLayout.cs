using ParamServer.Protocol.V1;

namespace ParamServer.Model;

/// <summary>
/// Position of every tensor of a model inside the flat parameter vector that concatenates them in order.
/// </summary>
public sealed class ModelLayout
{
    private readonly Dictionary<string, int> _indexByName;

    private ModelLayout(IReadOnlyList<TensorSlot> tensors, long totalElements)
    {
        Tensors = tensors;
        TotalElements = totalElements;
        _indexByName = new Dictionary<string, int>(tensors.Count, StringComparer.Ordinal);
        for (int i = 0; i < tensors.Count; i++)
        {
            _indexByName[tensors[i].Name] = i;
        }
    }

    public IReadOnlyList<TensorSlot> Tensors { get; }

    /// <summary>Length of the flat parameter vector, in float32 elements.</summary>
    public long TotalElements { get; }

    public TensorSlot this[string name] =>
        _indexByName.TryGetValue(name, out int index)
            ? Tensors[index]
            : throw new KeyNotFoundException($"Tensor '{name}' is not part of the model.");

    /// <summary>
    /// Builds the layout of <paramref name="model"/>, rejecting empty or duplicate names and non-positive dimensions.
    /// </summary>
    /// <exception cref="ArgumentException">The model is empty or a tensor is invalid; the message names it.</exception>
    public static ModelLayout Create(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Tensors.Count == 0)
        {
            throw new ArgumentException("model.tensors is empty; expected at least one tensor.", nameof(model));
        }

        var slots = new List<TensorSlot>(model.Tensors.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            TensorSpec tensor = model.Tensors[i];
            if (string.IsNullOrWhiteSpace(tensor.Name))
            {
                throw new ArgumentException($"model.tensors[{i}].name is empty; expected a non-empty name.", nameof(model));
            }

            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException(
                    $"model.tensors[{i}].name '{tensor.Name}' is a duplicate; expected unique tensor names.", nameof(model));
            }

            if (tensor.Shape.Count == 0)
            {
                throw new ArgumentException(
                    $"model.tensors[{i}].shape of '{tensor.Name}' is empty; expected at least one dimension.", nameof(model));
            }

            long elements = 1;
            for (int d = 0; d < tensor.Shape.Count; d++)
            {
                long dim = tensor.Shape[d];
                if (dim <= 0)
                {
                    throw new ArgumentException(
                        $"model.tensors[{i}].shape[{d}] of '{tensor.Name}' is {dim}; expected a positive dimension.",
                        nameof(model));
                }

                elements = checked(elements * dim);
            }

            slots.Add(new TensorSlot(i, tensor.Name, tensor.Shape.ToArray(), offset, elements, tensor.Initializer));
            offset = checked(offset + elements);
        }

        return new ModelLayout(slots, offset);
    }
}

/// <summary>A tensor's name, shape and place in the flat parameter vector.</summary>
public sealed record TensorSlot(
    int Index,
    string Name,
    long[] Shape,
    long Offset,
    long Elements,
    InitializerSpec? Initializer)
{
    /// <summary>First element past the tensor in the flat vector.</summary>
    public long End => Offset + Elements;
}
