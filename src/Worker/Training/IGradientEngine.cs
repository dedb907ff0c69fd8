namespace ParamServer.Worker.Training;

/// <summary>
/// Computes the loss and gradient of a model on the accelerator. Weights and activations stay on the device
/// between calls; each step copies the fresh weights in once and the gradient out once.
/// </summary>
public interface IGradientEngine : IDisposable
{
    /// <summary>Length of the flat parameter vector, in the model layout's order.</summary>
    int ParameterCount { get; }

    /// <summary>Human-readable accelerator name, such as "CPU accelerator (2 threads)" or a CUDA device name.</summary>
    string DeviceName { get; }

    /// <summary>Uploads the full flat parameter vector.</summary>
    void SetWeights(ReadOnlySpan<float> weights);

    /// <summary>
    /// Runs the forward and backward pass of the mean softmax cross-entropy over <paramref name="batchSize"/>
    /// samples (row-major inputs, one label per sample) and writes the flat gradient into <paramref name="gradient"/>.
    /// </summary>
    BatchStats ComputeGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Span<float> gradient);

    /// <summary>Runs the forward pass only and returns the mean loss and the count of correct predictions.</summary>
    BatchStats Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int count);
}

/// <summary>Mean loss and correct predictions over <see cref="Count"/> samples.</summary>
public readonly record struct BatchStats(double Loss, int Correct, int Count)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}
