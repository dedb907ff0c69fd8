using ParamServer.Model;
using ParamServer.Worker.Data;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>
/// A seeded, linearly separable classification problem: inputs uniform in [-1, 1), label = argmax of the input times
/// a random teacher matrix.
/// </summary>
internal sealed class LinearTeacherData : IDataSource
{
    public LinearTeacherData(int features, int classes, int trainSamples, int testSamples, ulong seed)
    {
        Features = features;
        Classes = classes;
        var teacher = new double[features * classes];
        for (int i = 0; i < teacher.Length; i++)
        {
            teacher[i] = 2 * TensorInitializer.UniformAt(seed, (ulong)i) - 1;
        }

        Train = Generate(teacher, trainSamples, seed + 1);
        Test = Generate(teacher, testSamples, seed + 2);
    }

    public string Name => "linear-teacher";

    public int Features { get; }

    public int Classes { get; }

    public Dataset Train { get; }

    public Dataset Test { get; }

    private Dataset Generate(double[] teacher, int samples, ulong seed)
    {
        var inputs = new float[samples * Features];
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            for (int f = 0; f < Features; f++)
            {
                inputs[i * Features + f] = (float)(2 * TensorInitializer.UniformAt(seed, (ulong)(i * Features + f)) - 1);
            }

            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < Classes; c++)
            {
                double score = 0;
                for (int f = 0; f < Features; f++)
                {
                    score += inputs[i * Features + f] * teacher[f * Classes + c];
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = c;
                }
            }

            labels[i] = best;
        }

        return new Dataset(inputs, labels, Features);
    }
}
