using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;

namespace ParameterServer.Tests.Optimizers;

/// <summary>Shared inputs and checks of the optimizer tests.</summary>
internal static class OptimizerTestKit
{
    /// <summary>Starting weights of the three-element hand-computed cases.</summary>
    public static readonly float[] InitialWeights = [1f, -0.5f, 2f];

    /// <summary>
    /// Gradients of six updates for three elements. Every element gets a zero gradient and every element but the
    /// first gets a gradient of magnitude 1e3.
    /// </summary>
    public static readonly float[][] Gradients =
    [
        [0.5f, -1f, 0f],
        [0f, 2f, 1e3f],
        [1e3f, 0f, -0.25f],
        [-2f, 1e3f, 0f],
        [0.25f, -0.5f, 3f],
        [1f, 0f, -1e3f],
    ];

    /// <summary>Learning rate of each of the six updates; it changes to show the rate is taken per update.</summary>
    public static readonly double[] LearningRates = [0.1, 0.1, 0.05, 0.05, 0.02, 0.01];

    /// <summary>
    /// Specs of every kind with non-default settings, by name, for the tests that compare paths of the same
    /// optimizer rather than values.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, OptimizerSpec> Variants = new Dictionary<string, OptimizerSpec>
    {
        ["sgd"] = new() { Kind = OptimizerKind.Sgd, WeightDecay = 0.01, ClipValue = 5 },
        ["momentum"] = new() { Kind = OptimizerKind.Momentum, Momentum = 0.8, Dampening = 0.1, WeightDecay = 0.01 },
        ["nesterov"] = new() { Kind = OptimizerKind.Momentum, Nesterov = true, ClipNorm = 50 },
        ["momentum_ema"] = new() { Kind = OptimizerKind.MomentumEma, Momentum = 0.7 },
        ["adagrad"] = new() { Kind = OptimizerKind.Adagrad, InitialAccumulator = 0.1, ClipNorm = 100 },
        ["rmsprop"] = new() { Kind = OptimizerKind.Rmsprop, Rho = 0.9, Epsilon = 1e-6 },
        ["rmsprop_centered"] = new() { Kind = OptimizerKind.Rmsprop, Centered = true, WeightDecay = 0.001 },
        ["adam"] = new() { Kind = OptimizerKind.Adam, Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.01, ClipValue = 3 },
        ["adamw"] = new() { Kind = OptimizerKind.Adamw, Beta1 = 0.85, Beta2 = 0.99, WeightDecay = 0.1, ClipNorm = 10 },
    };

    public static TheoryData<string> VariantNames => new(Variants.Keys);

    /// <summary>Applies the six updates of <see cref="Gradients"/> to a copy of the initial weights.</summary>
    public static float[] RunSequence(OptimizerSpec spec)
    {
        float[] weights = (float[])InitialWeights.Clone();
        IOptimizer optimizer = OptimizerFactory.Create(spec, weights.Length, OptimizerExecutionOptions.Serial);
        for (int step = 0; step < Gradients.Length; step++)
        {
            float[] gradient = (float[])Gradients[step].Clone();
            optimizer.Apply(weights, gradient, LearningRates[step]);
        }

        return weights;
    }

    /// <summary>
    /// Asserts that a float32 result matches a reference computed in double within float32 rounding:
    /// 1e-5 of the magnitude, or 1e-5 absolute below 1.
    /// </summary>
    public static void AssertClose(double expected, float actual, string label)
    {
        double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected));
        Assert.True(
            Math.Abs(expected - actual) <= tolerance,
            $"{label}: expected {expected:R}, got {actual:R} (tolerance {tolerance:G3}).");
    }

    /// <summary>Asserts each element of <paramref name="actual"/> against the double reference.</summary>
    public static void AssertAllClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i], $"element {i}");
        }
    }

    /// <summary>
    /// Computes a reference for each element by running <paramref name="update"/> over the six updates in double.
    /// The callback receives the weight, the gradient, the learning rate and the update number t (1 first)
    /// and returns the new weight; it keeps its own state per element.
    /// </summary>
    public static double[] Reference(Func<int, Func<double, double, double, int, double>> updateForElement)
    {
        var result = new double[InitialWeights.Length];
        for (int element = 0; element < result.Length; element++)
        {
            Func<double, double, double, int, double> update = updateForElement(element);
            double w = InitialWeights[element];
            for (int step = 0; step < Gradients.Length; step++)
            {
                w = update(w, Gradients[step][element], LearningRates[step], step + 1);
            }

            result[element] = w;
        }

        return result;
    }

    /// <summary>Deterministic weights in [-1, 1) for index <paramref name="i"/> of a large slice.</summary>
    public static float LargeWeight(long i) => ((i * 104729 % 1999) - 999) / 1000f;

    /// <summary>Deterministic gradients in [-10, 10], with zeros, for index <paramref name="i"/> and update k.</summary>
    public static float LargeGradient(long i, int k) => (((i + (k * 31)) * 7919 % 2001) - 1000) / 100f;

    public static float[] LargeWeights(int length)
    {
        var weights = new float[length];
        for (int i = 0; i < length; i++)
        {
            weights[i] = LargeWeight(i);
        }

        return weights;
    }

    public static float[] LargeGradients(int length, int k)
    {
        var gradient = new float[length];
        for (int i = 0; i < length; i++)
        {
            gradient[i] = LargeGradient(i, k);
        }

        return gradient;
    }
}
