namespace ParamServer.Worker.Kernels;

/// <summary>
/// Kernel strategy. The GPU path launches one thread per element or row and multiplies matrices with a tiled
/// shared-memory kernel; the CPU path launches one thread per core, each over a contiguous block, and multiplies
/// matrices with SIMD code over the CPU accelerator's buffer memory.
/// </summary>
public enum KernelPath
{
    Gpu,
    Cpu,
}
