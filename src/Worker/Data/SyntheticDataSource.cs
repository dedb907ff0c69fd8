using ParamServer.Model;

namespace ParamServer.Worker.Data;

/// <summary>
/// A seeded linear-teacher classification problem of any width: inputs are standard normal, a fixed random
/// teacher matrix T [features, classes] with entries of variance 1 / features labels each sample with the
/// arg-max of x · T. Every value is drawn from a counter-based generator keyed by the seed, so the same arguments
/// give the same data in every process, and the training and test samples are disjoint draws.
/// </summary>
public sealed class SyntheticDataSource : IDataSource
{
    private const ulong TeacherStream = 0x7EAC_4E55_0000_0001UL;
    private const ulong TrainStream = 0x7EAC_4E55_0000_0002UL;
    private const ulong TestStream = 0x7EAC_4E55_0000_0003UL;

    /// <summary>Generates the data set.</summary>
    /// <param name="features">Input width, at least 1.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="trainSamples">Training samples, at least 0.</param>
    /// <param name="testSamples">Test samples, at least 0.</param>
    /// <param name="seed">Seed of the teacher and the inputs.</param>
    public SyntheticDataSource(int features, int classes, int trainSamples, int testSamples, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(trainSamples);
        ArgumentOutOfRangeException.ThrowIfNegative(testSamples);
        if ((long)Math.Max(trainSamples, testSamples) * features > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{Math.Max(trainSamples, testSamples)} samples x {features} features exceed one array of {Array.MaxLength}.");
        }

        Features = features;
        Classes = classes;
        Seed = seed;
        Teacher = new float[features * classes];
        double teacherScale = 1.0 / Math.Sqrt(features);
        for (int i = 0; i < Teacher.Length; i++)
        {
            Teacher[i] = (float)(teacherScale * Normal(seed ^ TeacherStream, (ulong)i));
        }

        Train = Generate(trainSamples, seed ^ TrainStream);
        Test = Generate(testSamples, seed ^ TestStream);
    }

    public string Name => $"synthetic-{Features}x{Classes}";

    public int Features { get; }

    public int Classes { get; }

    public ulong Seed { get; }

    /// <summary>Teacher matrix [features, classes], row-major.</summary>
    public float[] Teacher { get; }

    public Dataset Train { get; }

    public Dataset Test { get; }

    private Dataset Generate(int samples, ulong stream)
    {
        var inputs = new float[samples * Features];
        var labels = new int[samples];
        var scores = new double[Classes];
        for (int s = 0; s < samples; s++)
        {
            Array.Clear(scores);
            int row = s * Features;
            for (int f = 0; f < Features; f++)
            {
                float x = (float)Normal(stream, (ulong)(row + (long)f));
                inputs[row + f] = x;
                int teacherRow = f * Classes;
                for (int c = 0; c < Classes; c++)
                {
                    scores[c] += x * Teacher[teacherRow + c];
                }
            }

            int best = 0;
            for (int c = 1; c < Classes; c++)
            {
                if (scores[c] > scores[best])
                {
                    best = c;
                }
            }

            labels[s] = best;
        }

        return new Dataset(inputs, labels, Features);
    }

    // Box-Muller over two counter-based uniforms.
    private static double Normal(ulong stream, ulong index)
    {
        double u1 = 1.0 - TensorInitializer.UniformAt(stream, 2 * index);
        double u2 = TensorInitializer.UniformAt(stream, 2 * index + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
