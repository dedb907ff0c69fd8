using ParamServer.Model;

namespace ParamServer.Worker.Data;

/// <summary>
/// Per-epoch assignment of training samples to workers. All workers shuffle the full index range with the same
/// seed and epoch, then worker <c>rank</c> of <c>worldSize</c> takes the contiguous slice
/// [count * rank / worldSize, count * (rank + 1) / worldSize), so the slices are disjoint and cover every sample
/// once per epoch.
/// </summary>
public static class EpochPartition
{
    /// <summary>Returns this worker's sample indices for <paramref name="epoch"/>, in training order.</summary>
    public static int[] Indices(int count, int rank, int worldSize, ulong seed, long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize}).");
        }

        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // Fisher-Yates driven by the counter-based generator of the model initializers, keyed by (seed, epoch),
        // so every process computes the same order.
        ulong stream = seed ^ unchecked((ulong)epoch * 0x9E3779B97F4A7C15UL);
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(TensorInitializer.UniformAt(stream, (ulong)i) * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        int start = (int)((long)count * rank / worldSize);
        int end = (int)((long)count * (rank + 1) / worldSize);
        return order[start..end];
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into batch buffers.</summary>
    public static void Gather(Dataset dataset, ReadOnlySpan<int> indices, Span<float> inputs, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int features = dataset.Features;
        if (inputs.Length < indices.Length * features || labels.Length < indices.Length)
        {
            throw new ArgumentException(
                $"Batch buffers hold {inputs.Length} inputs and {labels.Length} labels; {indices.Length} samples of {features} features need more.");
        }

        for (int i = 0; i < indices.Length; i++)
        {
            int sample = indices[i];
            dataset.Inputs.AsSpan(sample * features, features).CopyTo(inputs.Slice(i * features, features));
            labels[i] = dataset.Labels[sample];
        }
    }
}
