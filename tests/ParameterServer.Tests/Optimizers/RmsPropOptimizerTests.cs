using ParamServer.Protocol.V1;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class RmsPropOptimizerTests
{
    [Fact]
    public void RmsProp_EpsilonOne_MatchesHandComputed()
    {
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Rmsprop, Epsilon = 1 });

        // Element 0 with rho = 0.99: G = 0.0025, w = 1 - 0.1*0.5/1.05 = 0.952381; G = 0.002475 for g = 0;
        // G = 10000.00245, w -= 0.05*1000/101.0000122; and so on to 0.4581760.
        AssertClose(0.45817604434, weights[0], "element 0");
        AssertClose(-1.0675208026, weights[1], "element 1");
        AssertClose(1.08033350066, weights[2], "element 2");
    }

    [Fact]
    public void RmsProp_RhoAndDecay_MatchDefinition()
    {
        const double rho = 0.8;
        const double eps = 1e-3;
        const double wd = 0.05;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Rmsprop, Rho = rho, Epsilon = eps, WeightDecay = wd,
        });

        double[] expected = Reference(_ =>
        {
            double square = 0;
            return (w, g, lr, _) =>
            {
                double d = g + (wd * w);
                square = (rho * square) + ((1 - rho) * d * d);
                return w - (lr * d / (Math.Sqrt(square) + eps));
            };
        });
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void RmsProp_Centered_SubtractsSquaredMeanGradient()
    {
        const double rho = 0.9;
        const double eps = 1;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Rmsprop, Rho = rho, Epsilon = eps, Centered = true,
        });

        double[] expected = Reference(_ =>
        {
            double square = 0;
            double mean = 0;
            return (w, g, lr, _) =>
            {
                square = (rho * square) + ((1 - rho) * g * g);
                mean = (rho * mean) + ((1 - rho) * g);
                return w - (lr * g / (Math.Sqrt(square - (mean * mean)) + eps));
            };
        });
        AssertAllClose(expected, weights);
    }
}
