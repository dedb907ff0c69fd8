using ParamServer.Worker.Data;

namespace ParamServer.Worker.Training;

/// <summary>Reusable host buffers that gather the rows of one minibatch into contiguous inputs and labels.</summary>
public sealed class MinibatchBuffer
{
    private readonly float[] _inputs;
    private readonly int[] _labels;
    private readonly int _features;

    public MinibatchBuffer(int capacity, int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        _inputs = new float[checked(capacity * features)];
        _labels = new int[capacity];
        _features = features;
    }

    /// <summary>Samples gathered by the last <see cref="Gather"/>.</summary>
    public int Count { get; private set; }

    public ReadOnlySpan<float> Inputs => _inputs.AsSpan(0, Count * _features);

    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, Count);

    /// <summary>Copies the samples at <paramref name="indexes"/> of <paramref name="dataset"/>, in that order.</summary>
    public void Gather(Dataset dataset, ReadOnlySpan<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Features != _features)
        {
            throw new ArgumentException(
                $"dataset has {dataset.Features} features; the buffer holds {_features}.", nameof(dataset));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(indexes.Length, _labels.Length, nameof(indexes));
        EpochPartition.Gather(dataset, indexes, _inputs, _labels);
        Count = indexes.Length;
    }
}
