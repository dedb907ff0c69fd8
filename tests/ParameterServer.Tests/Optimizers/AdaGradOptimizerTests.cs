using ParamServer.Protocol.V1;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class AdaGradOptimizerTests
{
    [Fact]
    public void AdaGrad_EpsilonOne_MatchesHandComputed()
    {
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Adagrad, Epsilon = 1 });

        // Element 0: G = 0.25, w = 1 - 0.1*0.5/1.5 = 0.966667; G unchanged by g = 0;
        // G = 1000000.25, w -= 0.05*1000/1001.000125; and so on to 0.9168015.
        AssertClose(0.91680153786, weights[0], "element 0");
        AssertClose(-0.56174333409, weights[1], "element 1");
        AssertClose(1.90711850317, weights[2], "element 2");
    }

    [Fact]
    public void AdaGrad_InitialAccumulatorAndDecay_MatchDefinition()
    {
        const double initial = 0.5;
        const double wd = 0.1;
        const double eps = 1e-10;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Adagrad, InitialAccumulator = initial, WeightDecay = wd,
        });

        double[] expected = Reference(_ =>
        {
            double sum = initial;
            return (w, g, lr, _) =>
            {
                double d = g + (wd * w);
                sum += d * d;
                return w - (lr * d / (Math.Sqrt(sum) + eps));
            };
        });
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void AdaGrad_ZeroFirstGradient_LeavesWeightAndSum()
    {
        float[] w = [2f];
        var optimizer = ParamServer.Server.Optimizers.OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.Adagrad }, 1);

        optimizer.Apply(w, new[] { 0f }, 0.1);

        Assert.Equal(2f, w[0]);
        Assert.Equal(0f, optimizer.StateBuffers[0].Values[0]);
    }
}
