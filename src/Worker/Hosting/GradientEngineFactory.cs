using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>Creates the ILGPU gradient engine on the accelerator Worker:Accelerator names.</summary>
public sealed class GradientEngineFactory : IGradientEngineFactory
{
    private readonly WorkerOptions _options;

    public GradientEngineFactory(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
    }

    public IGradientEngine Create(ModelSpec model, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        throw new NotSupportedException($"No gradient engine for accelerator '{_options.Accelerator}' yet.");
    }
}
