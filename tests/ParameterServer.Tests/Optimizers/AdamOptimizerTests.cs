using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class AdamOptimizerTests
{
    [Fact]
    public void Adam_NonDefaultBetas_MatchDefinition()
    {
        const double beta1 = 0.8;
        const double beta2 = 0.95;
        const double eps = 1e-6;
        const double wd = 0.02;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Adam, Beta1 = beta1, Beta2 = beta2, Epsilon = eps, WeightDecay = wd,
        });

        double[] expected = Reference(_ => AdamReference(beta1, beta2, eps, wd, decoupled: false));
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void AdamW_NonDefaultBetas_DecaysWeightsDirectly()
    {
        const double beta1 = 0.85;
        const double beta2 = 0.99;
        const double wd = 0.1;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Adamw, Beta1 = beta1, Beta2 = beta2, WeightDecay = wd,
        });

        double[] expected = Reference(_ => AdamReference(beta1, beta2, 1e-8, wd, decoupled: true));
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void Adam_DefaultFirstUpdate_MovesByLearningRate()
    {
        float[] w = [1f, 1f, 1f];
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Adam }, 3);

        // After bias correction the first step is lr * g / (|g| + eps): about lr for any non-zero g, 0 for g = 0.
        optimizer.Apply(w, new[] { 0.5f, 0f, 1e3f }, 0.1);

        AssertClose(1 - (0.1 * 0.5 / (0.5 + 1e-8)), w[0], "g = 0.5");
        Assert.Equal(1f, w[1]);
        AssertClose(0.9, w[2], "g = 1e3");
        Assert.Equal(1L, optimizer.UpdateCount);
    }

    private static Func<double, double, double, int, double> AdamReference(
        double beta1,
        double beta2,
        double eps,
        double wd,
        bool decoupled)
    {
        double m = 0;
        double v = 0;
        return (w, g, lr, t) =>
        {
            if (decoupled)
            {
                w *= 1 - (lr * wd);
            }
            else
            {
                g += wd * w;
            }

            m = (beta1 * m) + ((1 - beta1) * g);
            v = (beta2 * v) + ((1 - beta2) * g * g);
            double mHat = m / (1 - Math.Pow(beta1, t));
            double vHat = v / (1 - Math.Pow(beta2, t));
            return w - (lr * mHat / (Math.Sqrt(vHat) + eps));
        };
    }
}
