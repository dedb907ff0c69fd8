using ParamServer.Protocol.V1;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class MomentumOptimizerTests
{
    [Fact]
    public void Classic_DefaultMomentum_MatchesHandComputed()
    {
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Momentum });

        // Element 0 with mu = 0.9: v = 0.5 (the first update copies g), w = 0.95; v = 0.45, w = 0.905;
        // v = 1000.405, w = -49.11525; v = 898.3645, w = -94.033475; v = 808.77805, w = -110.209036;
        // v = 728.900245, w = -117.49803845.
        AssertClose(-117.49803845, weights[0], "element 0");
        AssertClose(-76.7128051, weights[1], "element 1");
        AssertClose(-194.6983775, weights[2], "element 2");
    }

    [Fact]
    public void Classic_Dampening_SkipsFirstUpdateAsPyTorch()
    {
        const double mu = 0.8;
        const double dampening = 0.3;
        const double wd = 0.01;
        float[] weights = RunSequence(new OptimizerSpec
        {
            Kind = OptimizerKind.Momentum, Momentum = mu, Dampening = dampening, WeightDecay = wd,
        });

        double[] expected = Reference(_ =>
        {
            double v = 0;
            return (w, g, lr, t) =>
            {
                double d = g + (wd * w);
                v = t == 1 ? d : (mu * v) + ((1 - dampening) * d);
                return w - (lr * v);
            };
        });
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void Classic_Nesterov_StepsAlongGradientPlusMomentum()
    {
        const double mu = 0.9;
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Momentum, Nesterov = true });

        double[] expected = Reference(_ =>
        {
            double v = 0;
            return (w, g, lr, t) =>
            {
                v = t == 1 ? g : (mu * v) + g;
                return w - (lr * (g + (mu * v)));
            };
        });
        AssertAllClose(expected, weights);

        // Element 0, first two updates by hand: v = 0.5, w = 1 - 0.1*(0.5 + 0.45) = 0.905;
        // v = 0.45, w = 0.905 - 0.1*(0 + 0.405) = 0.8645.
        float[] w0 = [1f];
        var optimizer = ParamServer.Server.Optimizers.OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.Momentum, Nesterov = true }, 1);
        optimizer.Apply(w0, new[] { 0.5f }, 0.1);
        AssertClose(0.905, w0[0], "after update 1");
        optimizer.Apply(w0, new[] { 0f }, 0.1);
        AssertClose(0.8645, w0[0], "after update 2");
    }

    [Fact]
    public void Ema_MatchesMovingAverageDefinition()
    {
        const double beta = 0.7;
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.MomentumEma, Momentum = beta });

        double[] expected = Reference(_ =>
        {
            double v = 0;
            return (w, g, lr, _) =>
            {
                v = (beta * v) + ((1 - beta) * g);
                return w - (lr * v);
            };
        });
        AssertAllClose(expected, weights);
    }

    [Fact]
    public void Ema_DefaultBeta_FirstUpdatesByHand()
    {
        float[] w = [1f];
        var optimizer = ParamServer.Server.Optimizers.OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.MomentumEma }, 1);

        // beta = 0.9: v = 0.1*0.5 = 0.05, w = 1 - 0.1*0.05 = 0.995; v = 0.045, w = 0.9905;
        // v = 0.0405 + 100 = 100.0405, w = 0.9905 - 10.00405 = -9.01355.
        optimizer.Apply(w, new[] { 0.5f }, 0.1);
        AssertClose(0.995, w[0], "after update 1");
        optimizer.Apply(w, new[] { 0f }, 0.1);
        AssertClose(0.9905, w[0], "after update 2");
        optimizer.Apply(w, new[] { 1e3f }, 0.1);
        AssertClose(-9.01355, w[0], "after update 3");
        Assert.Equal(100.0405f, optimizer.StateBuffers[0].Values[0], 3);
    }
}
