using Microsoft.Extensions.Logging;

namespace ParamServer.Worker.Kernels;

/// <summary>Log messages of accelerator selection and the gradient engine (event ids 5000-5099).</summary>
internal static partial class KernelsLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information,
        Message = "Using accelerator {DeviceName} (type {AcceleratorType}, requested {Requested}, kernel path {Path})")]
    public static partial void AcceleratorSelected(
        ILogger logger, string deviceName, string acceleratorType, AcceleratorPreference requested, KernelPath path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug,
        Message = "Accelerators found: {CudaDevices} CUDA, {OpenCLDevices} OpenCL GPU")]
    public static partial void AcceleratorsFound(ILogger logger, int cudaDevices, int openCLDevices);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
        Message = "Creating the {AcceleratorType} accelerator {DeviceName} failed; trying the next accelerator")]
    public static partial void AcceleratorFailed(
        ILogger logger, Exception exception, string acceleratorType, string deviceName);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
        Message = "Gradient engine ready: layers {LayerSizes}, {ParameterCount} parameters, on {DeviceName}")]
    public static partial void EngineCreated(ILogger logger, string layerSizes, int parameterCount, string deviceName);
}
