using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Model;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Creates the ILGPU MLP engine on a two-thread CPU accelerator; each engine owns its own context.</summary>
internal sealed class CpuEngineFactory : IGradientEngineFactory
{
    public IGradientEngine Create(ModelSpec model, int maxBatchSize) =>
        new MlpGradientEngine(ComputeDevice.CreateCpu(threads: 2), MlpModel.LayerSizesOf(model), ownsDevice: true);
}
