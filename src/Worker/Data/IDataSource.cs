namespace ParamServer.Worker.Data;

/// <summary>A labelled classification data set with a training and a test split.</summary>
public interface IDataSource
{
    string Name { get; }

    int Features { get; }

    int Classes { get; }

    Dataset Train { get; }

    Dataset Test { get; }
}

/// <summary>Samples stored row-major: sample i's features are Inputs[i * Features .. (i + 1) * Features).</summary>
public sealed class Dataset
{
    public Dataset(float[] inputs, int[] labels, int features)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (inputs.Length != (long)labels.Length * features)
        {
            throw new ArgumentException(
                $"inputs has {inputs.Length} values; expected {labels.Length} samples x {features} features.", nameof(inputs));
        }

        Inputs = inputs;
        Labels = labels;
        Features = features;
    }

    public float[] Inputs { get; }

    public int[] Labels { get; }

    public int Features { get; }

    public int Count => Labels.Length;
}
