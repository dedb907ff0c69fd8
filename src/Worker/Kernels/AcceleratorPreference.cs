namespace ParamServer.Worker.Kernels;

/// <summary>Accelerator the worker asks for; <see cref="Auto"/> takes CUDA, then OpenCL, then the CPU accelerator.</summary>
public enum AcceleratorPreference
{
    Auto,
    Cuda,
    OpenCL,
    Cpu,
}
