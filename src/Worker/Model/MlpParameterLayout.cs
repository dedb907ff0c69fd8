using ParamServer.Model;
using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Model;

/// <summary>
/// Offsets of each layer's weight [inputs, outputs] (row-major) and bias [outputs] in the MLP's flat parameter
/// vector, in the order of <see cref="MlpModel"/> and <see cref="ModelLayout"/>.
/// </summary>
public sealed class MlpParameterLayout
{
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;

    /// <summary>Builds the layout of an MLP with <paramref name="layerSizes"/> (inputs, hidden sizes, classes).</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes, a size below 1, or more than int.MaxValue parameters.</exception>
    public MlpParameterLayout(IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
        {
            throw new ArgumentException(
                $"layerSizes has {layerSizes.Count} entries; expected at least 2 (inputs and classes).",
                nameof(layerSizes));
        }

        for (int i = 0; i < layerSizes.Count; i++)
        {
            if (layerSizes[i] < 1)
            {
                throw new ArgumentException(
                    $"layerSizes[{i}] is {layerSizes[i]}; expected a positive size.", nameof(layerSizes));
            }
        }

        LayerSizes = [.. layerSizes];
        _weightOffsets = new int[Layers];
        _biasOffsets = new int[Layers];
        long offset = 0;
        for (int layer = 0; layer < Layers; layer++)
        {
            _weightOffsets[layer] = (int)offset;
            offset += (long)LayerSizes[layer] * LayerSizes[layer + 1];
            _biasOffsets[layer] = (int)Math.Min(offset, int.MaxValue);
            offset += LayerSizes[layer + 1];
            if (offset > int.MaxValue)
            {
                throw new ArgumentException(
                    $"layerSizes [{string.Join(", ", LayerSizes)}] need {offset}+ parameters; at most {int.MaxValue} fit one device vector.",
                    nameof(layerSizes));
            }
        }

        ParameterCount = (int)offset;
    }

    /// <summary>Inputs, hidden sizes and classes.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Dense layers (one fewer than the sizes).</summary>
    public int Layers => LayerSizes.Count - 1;

    public int Inputs => LayerSizes[0];

    public int Classes => LayerSizes[^1];

    /// <summary>Length of the flat parameter vector.</summary>
    public int ParameterCount { get; }

    public int WeightOffset(int layer) => _weightOffsets[layer];

    public int BiasOffset(int layer) => _biasOffsets[layer];

    /// <summary>Builds the layout from a model spec made by <see cref="MlpModel.CreateSpec"/>.</summary>
    /// <exception cref="ArgumentException">The spec is not an MLP in that naming and order.</exception>
    public static MlpParameterLayout FromModel(ModelSpec model)
    {
        var layout = new MlpParameterLayout(MlpModel.LayerSizesOf(model));
        ModelLayout flat = ModelLayout.Create(model);
        for (int layer = 0; layer < layout.Layers; layer++)
        {
            // LayerSizesOf checks names and shapes; the offsets follow from the order, checked here once more.
            if (flat[MlpModel.WeightName(layer)].Offset != layout.WeightOffset(layer) ||
                flat[MlpModel.BiasName(layer)].Offset != layout.BiasOffset(layer))
            {
                throw new ArgumentException(
                    $"Tensor offsets of layer {layer} differ from the MLP layout; expected weight then bias per layer.",
                    nameof(model));
            }
        }

        return layout;
    }
}
