using System.Numerics.Tensors;

namespace ParamServer.Bench;

/// <summary>
/// Plain single-threaded C# forward and backward pass of a ReLU MLP with softmax cross-entropy, one row at a
/// time with <see cref="TensorPrimitives"/> for the vector work. It is the baseline of the kernel benchmark and
/// uses the same flat layout as the engine: per layer the weight [inputs, outputs] row-major, then the bias.
/// </summary>
internal sealed class KernelReferenceStep
{
    private readonly int[] _sizes;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;

    public KernelReferenceStep(IReadOnlyList<int> layerSizes, int batchSize)
    {
        _sizes = [.. layerSizes];
        _activations = _sizes.Select(size => new float[batchSize * size]).ToArray();
        _deltas = _sizes.Select(size => new float[batchSize * size]).ToArray();
    }

    /// <summary>Writes the gradient of the mean loss into <paramref name="gradient"/> and returns the mean loss.</summary>
    public double Step(float[] parameters, float[] inputs, int[] labels, int batch, float[] gradient)
    {
        int layers = _sizes.Length - 1;
        inputs.AsSpan(0, batch * _sizes[0]).CopyTo(_activations[0]);
        int offset = 0;
        var weightOffsets = new int[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            int n = _sizes[layer];
            int m = _sizes[layer + 1];
            weightOffsets[layer] = offset;
            ReadOnlySpan<float> w = parameters.AsSpan(offset, n * m);
            ReadOnlySpan<float> b = parameters.AsSpan(offset + n * m, m);
            offset += n * m + m;
            for (int r = 0; r < batch; r++)
            {
                ReadOnlySpan<float> x = _activations[layer].AsSpan(r * n, n);
                Span<float> y = _activations[layer + 1].AsSpan(r * m, m);
                b.CopyTo(y);
                for (int p = 0; p < n; p++)
                {
                    TensorPrimitives.MultiplyAdd(w.Slice(p * m, m), x[p], y, y);
                }

                if (layer + 1 < layers)
                {
                    TensorPrimitives.Max(y, 0f, y);
                }
            }
        }

        int classes = _sizes[^1];
        double loss = 0;
        for (int r = 0; r < batch; r++)
        {
            Span<float> logits = _activations[layers].AsSpan(r * classes, classes);
            Span<float> delta = _deltas[layers].AsSpan(r * classes, classes);
            float max = TensorPrimitives.Max(logits);
            TensorPrimitives.Subtract(logits, max, delta);
            TensorPrimitives.Exp(delta, delta);
            float sum = TensorPrimitives.Sum(delta);
            loss += Math.Log(sum) - (logits[labels[r]] - max);
            TensorPrimitives.Multiply(delta, 1f / (sum * batch), delta);
            delta[labels[r]] -= 1f / batch;
        }

        Array.Clear(gradient);
        for (int layer = layers - 1; layer >= 0; layer--)
        {
            int n = _sizes[layer];
            int m = _sizes[layer + 1];
            Span<float> dw = gradient.AsSpan(weightOffsets[layer], n * m);
            Span<float> db = gradient.AsSpan(weightOffsets[layer] + n * m, m);
            ReadOnlySpan<float> w = parameters.AsSpan(weightOffsets[layer], n * m);
            for (int r = 0; r < batch; r++)
            {
                Span<float> delta = _deltas[layer + 1].AsSpan(r * m, m);
                if (layer + 1 < layers)
                {
                    ReadOnlySpan<float> a = _activations[layer + 1].AsSpan(r * m, m);
                    for (int c = 0; c < m; c++)
                    {
                        if (a[c] <= 0f)
                        {
                            delta[c] = 0f;
                        }
                    }
                }

                TensorPrimitives.Add(db, delta, db);
                ReadOnlySpan<float> x = _activations[layer].AsSpan(r * n, n);
                for (int p = 0; p < n; p++)
                {
                    TensorPrimitives.MultiplyAdd(delta, x[p], dw.Slice(p * m, m), dw.Slice(p * m, m));
                }

                if (layer > 0)
                {
                    Span<float> dx = _deltas[layer].AsSpan(r * n, n);
                    for (int p = 0; p < n; p++)
                    {
                        dx[p] = TensorPrimitives.Dot(delta, w.Slice(p * m, m));
                    }
                }
            }
        }

        return loss / batch;
    }
}
