using ParamServer.Protocol.V1;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Model;
using ParamServer.Worker.Training;

namespace ParamServer.Bench.Distribution;

/// <summary>The worker's ILGPU engine on the accelerator the worker would pick (auto).</summary>
internal sealed class AutoEngineFactory : IGradientEngineFactory
{
    public IGradientEngine Create(ModelSpec model, int maxBatchSize) =>
        MlpGradientEngine.Create(model, AcceleratorPreference.Auto);
}
