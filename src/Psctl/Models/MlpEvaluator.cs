using System.Numerics.Tensors;
using ParamServer.Model;

namespace ParamServer.Psctl.Models;

/// <summary>
/// Computes the test accuracy and mean cross-entropy of an MLP from its gathered weights on the CPU: dense
/// layers with weights [inputs, outputs], ReLU between layers, softmax cross-entropy on the logits. This is
/// psctl's own check of the final model, independent of the workers' evaluation.
/// </summary>
public static class MlpEvaluator
{
    /// <summary>Returns (accuracy in [0, 1], mean loss) over <paramref name="count"/> samples.</summary>
    public static (double Accuracy, double Loss) Evaluate(FinalModel model, float[] inputs, byte[] labels, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        int[] sizes = MlpModel.LayerSizesOf(model.Job.Model);
        float[][] weights = new float[sizes.Length - 1][];
        float[][] biases = new float[sizes.Length - 1][];
        for (int layer = 0; layer < sizes.Length - 1; layer++)
        {
            weights[layer] = model.Tensor(MlpModel.WeightName(layer)).ToArray();
            biases[layer] = model.Tensor(MlpModel.BiasName(layer)).ToArray();
        }

        int correct = 0;
        double lossSum = 0;
        object gate = new();
        Parallel.For(
            0,
            count,
            () => (Correct: 0, Loss: 0.0, Buffers: new Buffers(sizes)),
            (sample, _, local) =>
            {
                ReadOnlySpan<float> x = inputs.AsSpan(sample * sizes[0], sizes[0]);
                ReadOnlySpan<float> logits = Forward(x, sizes, weights, biases, local.Buffers);
                int predicted = TensorPrimitives.IndexOfMax(logits);
                float max = logits[predicted];
                double sumExp = 0;
                foreach (float logit in logits)
                {
                    sumExp += Math.Exp(logit - max);
                }

                double loss = Math.Log(sumExp) - (logits[labels[sample]] - max);
                return (local.Correct + (predicted == labels[sample] ? 1 : 0), local.Loss + loss, local.Buffers);
            },
            local =>
            {
                lock (gate)
                {
                    correct += local.Correct;
                    lossSum += local.Loss;
                }
            });
        return ((double)correct / count, lossSum / count);
    }

    private static ReadOnlySpan<float> Forward(
        ReadOnlySpan<float> input,
        int[] sizes,
        float[][] weights,
        float[][] biases,
        Buffers buffers)
    {
        ReadOnlySpan<float> current = input;
        for (int layer = 0; layer < sizes.Length - 1; layer++)
        {
            int outputs = sizes[layer + 1];
            Span<float> next = buffers.Activations[layer];
            biases[layer].CopyTo(next);
            ReadOnlySpan<float> w = weights[layer];
            for (int i = 0; i < current.Length; i++)
            {
                float value = current[i];
                if (value != 0)
                {
                    // Row i of the [inputs, outputs] weight matrix, scaled by input i, accumulated into the outputs.
                    TensorPrimitives.MultiplyAdd(w.Slice(i * outputs, outputs), value, next, next);
                }
            }

            if (layer < sizes.Length - 2)
            {
                TensorPrimitives.Max(next, 0f, next);
            }

            current = next;
        }

        return current;
    }

    private sealed class Buffers
    {
        public Buffers(int[] sizes)
        {
            Activations = new float[sizes.Length - 1][];
            for (int layer = 0; layer < sizes.Length - 1; layer++)
            {
                Activations[layer] = new float[sizes[layer + 1]];
            }
        }

        public float[][] Activations { get; }
    }
}
