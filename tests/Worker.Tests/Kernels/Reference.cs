namespace ParamServer.Worker.Tests.Kernels;

/// <summary>Plain float64 implementations of the kernels and of a whole MLP step, independent of the product code.</summary>
internal static class Reference
{
    public static float[] RandomArray(Random random, int length, double low = -1, double high = 1)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(low + (high - low) * random.NextDouble());
        }

        return values;
    }

    /// <summary>c[m, n] = a[m, k] · b[k, n].</summary>
    public static double[] MatMul(float[] a, float[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i * k + p] * b[p * n + j];
                }

                c[i * n + j] = sum;
            }
        }

        return c;
    }

    public static float[] Transpose(float[] a, int rows, int columns)
    {
        var t = new float[a.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                t[c * rows + r] = a[r * columns + c];
            }
        }

        return t;
    }

    /// <summary>Mean softmax cross-entropy of an MLP with ReLU hidden layers, in float64.</summary>
    public static double Loss(double[] parameters, int[] sizes, float[] inputs, int[] labels, int batch)
    {
        double[] activations = inputs.Take(batch * sizes[0]).Select(v => (double)v).ToArray();
        int offset = 0;
        for (int layer = 0; layer < sizes.Length - 1; layer++)
        {
            int n = sizes[layer];
            int m = sizes[layer + 1];
            var next = new double[batch * m];
            for (int r = 0; r < batch; r++)
            {
                for (int c = 0; c < m; c++)
                {
                    double sum = parameters[offset + n * m + c];
                    for (int p = 0; p < n; p++)
                    {
                        sum += activations[r * n + p] * parameters[offset + p * m + c];
                    }

                    next[r * m + c] = layer + 2 < sizes.Length ? Math.Max(sum, 0) : sum;
                }
            }

            offset += n * m + m;
            activations = next;
        }

        int classes = sizes[^1];
        double loss = 0;
        for (int r = 0; r < batch; r++)
        {
            (double rowLoss, _) = SoftmaxCrossEntropy(activations.AsSpan(r * classes, classes), labels[r]);
            loss += rowLoss;
        }

        return loss / batch;
    }

    /// <summary>Returns the mean loss and the number of rows whose arg-max equals the label.</summary>
    public static (double Loss, int Correct) Evaluate(
        float[] parameters,
        int[] sizes,
        float[] inputs,
        int[] labels,
        int batch)
    {
        double[] weights = parameters.Select(v => (double)v).ToArray();
        int correct = 0;
        double loss = 0;
        for (int r = 0; r < batch; r++)
        {
            double[] logits = Logits(weights, sizes, inputs.AsSpan(r * sizes[0], sizes[0]));
            (double rowLoss, bool hit) = SoftmaxCrossEntropy(logits, labels[r]);
            loss += rowLoss;
            correct += hit ? 1 : 0;
        }

        return (loss / batch, correct);
    }

    public static (double Loss, bool Correct) SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label)
    {
        double max = double.NegativeInfinity;
        int argMax = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            if (logits[c] > max)
            {
                max = logits[c];
                argMax = c;
            }
        }

        double sum = 0;
        foreach (double z in logits)
        {
            sum += Math.Exp(z - max);
        }

        return (Math.Log(sum) - (logits[label] - max), argMax == label);
    }

    private static double[] Logits(double[] parameters, int[] sizes, ReadOnlySpan<float> input)
    {
        double[] activations = input.ToArray().Select(v => (double)v).ToArray();
        int offset = 0;
        for (int layer = 0; layer < sizes.Length - 1; layer++)
        {
            int n = sizes[layer];
            int m = sizes[layer + 1];
            var next = new double[m];
            for (int c = 0; c < m; c++)
            {
                double sum = parameters[offset + n * m + c];
                for (int p = 0; p < n; p++)
                {
                    sum += activations[p] * parameters[offset + p * m + c];
                }

                next[c] = layer + 2 < sizes.Length ? Math.Max(sum, 0) : sum;
            }

            offset += n * m + m;
            activations = next;
        }

        return activations;
    }
}
