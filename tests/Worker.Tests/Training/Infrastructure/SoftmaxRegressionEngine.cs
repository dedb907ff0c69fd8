using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>
/// Plain C# gradient engine of a one-layer perceptron (softmax regression): dense0.weight [features, classes]
/// followed by dense0.bias [classes], the MLP layout for layer sizes [features, classes].
/// </summary>
internal sealed class SoftmaxRegressionEngine : IGradientEngine
{
    private readonly int _features;
    private readonly int _classes;
    private readonly float[] _weights;
    private readonly double[] _logits;

    public SoftmaxRegressionEngine(int features, int classes)
    {
        _features = features;
        _classes = classes;
        _weights = new float[features * classes + classes];
        _logits = new double[classes];
    }

    public int ParameterCount => _weights.Length;

    public string DeviceName => "plain C# softmax regression";

    public int SetWeightsCalls { get; private set; }

    public void SetWeights(ReadOnlySpan<float> weights)
    {
        weights.CopyTo(_weights);
        SetWeightsCalls++;
    }

    public BatchStats ComputeGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Span<float> gradient)
    {
        gradient.Clear();
        double loss = 0;
        int correct = 0;
        int biasOffset = _features * _classes;
        for (int i = 0; i < batchSize; i++)
        {
            ReadOnlySpan<float> x = inputs.Slice(i * _features, _features);
            double logSum = Forward(x, out int predicted);
            loss += logSum - _logits[labels[i]];
            correct += predicted == labels[i] ? 1 : 0;
            for (int c = 0; c < _classes; c++)
            {
                double delta = (Math.Exp(_logits[c] - logSum) - (c == labels[i] ? 1 : 0)) / batchSize;
                for (int f = 0; f < _features; f++)
                {
                    gradient[f * _classes + c] += (float)(x[f] * delta);
                }

                gradient[biasOffset + c] += (float)delta;
            }
        }

        return new BatchStats(loss / batchSize, correct, batchSize);
    }

    public BatchStats Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int count)
    {
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < count; i++)
        {
            double logSum = Forward(inputs.Slice(i * _features, _features), out int predicted);
            loss += logSum - _logits[labels[i]];
            correct += predicted == labels[i] ? 1 : 0;
        }

        return new BatchStats(loss / count, correct, count);
    }

    public void Dispose()
    {
    }

    /// <summary>Fills the logits and returns log(sum(exp(logits))).</summary>
    private double Forward(ReadOnlySpan<float> x, out int predicted)
    {
        int biasOffset = _features * _classes;
        predicted = 0;
        for (int c = 0; c < _classes; c++)
        {
            double z = _weights[biasOffset + c];
            for (int f = 0; f < _features; f++)
            {
                z += x[f] * _weights[f * _classes + c];
            }

            _logits[c] = z;
            if (z > _logits[predicted])
            {
                predicted = c;
            }
        }

        double max = _logits[predicted];
        double sum = 0;
        for (int c = 0; c < _classes; c++)
        {
            sum += Math.Exp(_logits[c] - max);
        }

        return max + Math.Log(sum);
    }
}
