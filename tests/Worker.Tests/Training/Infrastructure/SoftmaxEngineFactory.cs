using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Creates <see cref="SoftmaxRegressionEngine"/> for a one-layer model.</summary>
internal sealed class SoftmaxEngineFactory : IGradientEngineFactory
{
    public SoftmaxRegressionEngine? Last { get; private set; }

    public IGradientEngine Create(ModelSpec model, int maxBatchSize)
    {
        int[] sizes = MlpModel.LayerSizesOf(model);
        Last = new SoftmaxRegressionEngine(sizes[0], sizes[^1]);
        return Last;
    }
}
