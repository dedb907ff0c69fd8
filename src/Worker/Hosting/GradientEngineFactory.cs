using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Model;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>Creates the ILGPU MLP engine on the accelerator Worker:Accelerator names.</summary>
public sealed class GradientEngineFactory : IGradientEngineFactory
{
    private readonly AcceleratorPreference _preference;
    private readonly ILogger _logger;

    public GradientEngineFactory(IOptions<WorkerOptions> options, ILogger<GradientEngineFactory> logger)
    {
        _preference = PreferenceOf(options.Value.Accelerator);
        _logger = logger;
    }

    /// <summary>Maps auto, cuda, opencl or cpu (any case) to the kernels' preference.</summary>
    public static AcceleratorPreference PreferenceOf(string accelerator) => accelerator.ToLowerInvariant() switch
    {
        "auto" => AcceleratorPreference.Auto,
        "cuda" => AcceleratorPreference.Cuda,
        "opencl" => AcceleratorPreference.OpenCL,
        "cpu" => AcceleratorPreference.Cpu,
        _ => throw new ArgumentException(
            $"Worker:Accelerator is '{accelerator}'; expected auto, cuda, opencl or cpu.", nameof(accelerator)),
    };

    public IGradientEngine Create(ModelSpec model, int maxBatchSize) =>
        MlpGradientEngine.Create(model, _preference, _logger);
}
