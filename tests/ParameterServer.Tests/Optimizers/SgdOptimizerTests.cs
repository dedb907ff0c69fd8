using ParamServer.Protocol.V1;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class SgdOptimizerTests
{
    [Fact]
    public void Sgd_SixUpdates_MatchHandComputed()
    {
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Sgd });

        // Element 0 by hand: 1 - 0.1*0.5 = 0.95; g = 0 keeps 0.95; - 0.05*1e3 = -49.05; + 0.05*2 = -48.95;
        // - 0.02*0.25 = -48.955; - 0.01*1 = -48.965.
        AssertClose(-48.965, weights[0], "element 0");
        AssertClose(-50.59, weights[1], "element 1");
        AssertClose(-88.0475, weights[2], "element 2");
    }

    [Fact]
    public void Sgd_WeightDecay_AddsL2TermToGradient()
    {
        const double wd = 0.5;
        float[] weights = RunSequence(new OptimizerSpec { Kind = OptimizerKind.Sgd, WeightDecay = wd });

        double[] expected = Reference(_ => (w, g, lr, _) => w - (lr * (g + (wd * w))));
        AssertAllClose(expected, weights);
    }
}
