using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class GradientClippingTests
{
    [Fact]
    public void ClipValue_ClampsEachElement()
    {
        float[] w = [0f, 0f, 0f, 0f];
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Sgd, ClipValue = 2 }, 4);

        optimizer.Apply(w, new[] { 1e3f, -1e3f, 1.5f, -2f }, 1.0);

        Assert.Equal(new[] { -2f, 2f, -1.5f, 2f }, w);
    }

    [Fact]
    public void ClipNorm_RescalesToMaximumNorm()
    {
        float[] w = [0f, 0f];
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Sgd, ClipNorm = 1 }, 2);

        // The norm of (3, 4) is 5, so the gradient is multiplied by 1 / (5 + 1e-6).
        optimizer.Apply(w, new[] { 3f, 4f }, 1.0);

        double coefficient = 1 / (5 + 1e-6);
        AssertClose(-3 * coefficient, w[0], "element 0");
        AssertClose(-4 * coefficient, w[1], "element 1");
    }

    [Fact]
    public void ClipNorm_BelowMaximum_LeavesGradient()
    {
        float[] w = [0f, 0f];
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Sgd, ClipNorm = 5.5 }, 2);

        optimizer.Apply(w, new[] { 3f, 4f }, 1.0);

        Assert.Equal(new[] { -3f, -4f }, w);
    }

    [Fact]
    public void ClipValueThenNorm_UsesClampedNorm()
    {
        float[] w = [0f, 0f, 0f];
        IOptimizer optimizer = OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.Sgd, ClipValue = 4, ClipNorm = 1 },
            3);

        // Clamped to (3, 4, -4), norm sqrt(41); then scaled by 1 / (sqrt(41) + 1e-6).
        optimizer.Apply(w, new[] { 3f, 1e3f, -7f }, 1.0);

        double coefficient = 1 / (Math.Sqrt(41) + 1e-6);
        AssertClose(-3 * coefficient, w[0], "element 0");
        AssertClose(-4 * coefficient, w[1], "element 1");
        AssertClose(4 * coefficient, w[2], "element 2");
    }

    [Fact]
    public void ClipNorm_AppliesBeforeWeightDecay()
    {
        float[] w = [1f, 1f];
        IOptimizer optimizer = OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.Sgd, ClipNorm = 1, WeightDecay = 0.5 },
            2);

        optimizer.Apply(w, new[] { 3f, 4f }, 0.1);

        double coefficient = 1 / (5 + 1e-6);
        AssertClose(1 - (0.1 * ((3 * coefficient) + 0.5)), w[0], "element 0");
        AssertClose(1 - (0.1 * ((4 * coefficient) + 0.5)), w[1], "element 1");
    }

    [Fact]
    public void ClipNorm_Adam_SixUpdatesMatchDefinition()
    {
        const double clipNorm = 10;
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Adam, ClipNorm = clipNorm });

        // The norm is taken over the whole slice at each update, so the reference runs the elements together.
        double[] w = InitialWeights.Select(x => (double)x).ToArray();
        var m = new double[w.Length];
        var v = new double[w.Length];
        for (int step = 0; step < Gradients.Length; step++)
        {
            double norm = Math.Sqrt(Gradients[step].Sum(g => (double)g * g));
            double coefficient = Math.Min(1, clipNorm / (norm + 1e-6));
            int t = step + 1;
            for (int i = 0; i < w.Length; i++)
            {
                double g = Gradients[step][i] * coefficient;
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                double mHat = m[i] / (1 - Math.Pow(0.9, t));
                double vHat = v[i] / (1 - Math.Pow(0.999, t));
                w[i] -= LearningRates[step] * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        AssertAllClose(w, weights);
    }
}
