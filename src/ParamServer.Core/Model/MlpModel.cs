using ParamServer.Protocol.V1;

namespace ParamServer.Model;

/// <summary>
/// Names and shapes of a multilayer perceptron's parameters. Layer l has a weight "dense{l}.weight" of shape
/// [inputs, outputs] (He-normal) followed by a bias "dense{l}.bias" of shape [outputs] (zeros), and the model's
/// flat vector lists the layers in order.
/// </summary>
public static class MlpModel
{
    /// <summary>Default layer sizes for MNIST: 784 inputs, two hidden layers, 10 classes.</summary>
    public static IReadOnlyList<int> DefaultLayerSizes { get; } = [784, 256, 128, 10];

    public static string WeightName(int layer) => $"dense{layer}.weight";

    public static string BiasName(int layer) => $"dense{layer}.bias";

    /// <summary>Builds the model spec for <paramref name="layerSizes"/>, seeding layer l's weight with seed + l.</summary>
    public static ModelSpec CreateSpec(IReadOnlyList<int> layerSizes, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
        {
            throw new ArgumentException(
                $"layer_sizes has {layerSizes.Count} entries; expected at least 2 (inputs and outputs).", nameof(layerSizes));
        }

        for (int i = 0; i < layerSizes.Count; i++)
        {
            if (layerSizes[i] <= 0)
            {
                throw new ArgumentException(
                    $"layer_sizes[{i}] is {layerSizes[i]}; expected a positive size.", nameof(layerSizes));
            }
        }

        var model = new ModelSpec();
        for (int layer = 0; layer < layerSizes.Count - 1; layer++)
        {
            model.Tensors.Add(new TensorSpec
            {
                Name = WeightName(layer),
                Shape = { layerSizes[layer], layerSizes[layer + 1] },
                Initializer = new InitializerSpec { Kind = InitializerKind.HeNormal, Seed = seed + (ulong)layer + 1 },
            });
            model.Tensors.Add(new TensorSpec
            {
                Name = BiasName(layer),
                Shape = { layerSizes[layer + 1] },
                Initializer = new InitializerSpec { Kind = InitializerKind.Zeros },
            });
        }

        return model;
    }

    /// <summary>Recovers the layer sizes from a model built by <see cref="CreateSpec"/>.</summary>
    /// <exception cref="ArgumentException">The tensors do not follow the MLP naming and shape rules.</exception>
    public static int[] LayerSizesOf(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Tensors.Count == 0 || model.Tensors.Count % 2 != 0)
        {
            throw new ArgumentException(
                $"model has {model.Tensors.Count} tensors; an MLP has a weight and a bias per layer.", nameof(model));
        }

        int layers = model.Tensors.Count / 2;
        var sizes = new int[layers + 1];
        for (int layer = 0; layer < layers; layer++)
        {
            TensorSpec weight = model.Tensors[2 * layer];
            TensorSpec bias = model.Tensors[2 * layer + 1];
            if (weight.Name != WeightName(layer) || weight.Shape.Count != 2)
            {
                throw new ArgumentException(
                    $"model.tensors[{2 * layer}] is '{weight.Name}' with rank {weight.Shape.Count}; expected '{WeightName(layer)}' of rank 2.",
                    nameof(model));
            }

            if (bias.Name != BiasName(layer) || bias.Shape.Count != 1 || bias.Shape[0] != weight.Shape[1])
            {
                throw new ArgumentException(
                    $"model.tensors[{2 * layer + 1}] is '{bias.Name}'; expected '{BiasName(layer)}' of shape [{weight.Shape[1]}].",
                    nameof(model));
            }

            if (layer > 0 && weight.Shape[0] != sizes[layer])
            {
                throw new ArgumentException(
                    $"'{weight.Name}' has {weight.Shape[0]} inputs; expected {sizes[layer]}, the outputs of the previous layer.",
                    nameof(model));
            }

            sizes[layer] = (int)weight.Shape[0];
            sizes[layer + 1] = (int)weight.Shape[1];
        }

        return sizes;
    }
}
