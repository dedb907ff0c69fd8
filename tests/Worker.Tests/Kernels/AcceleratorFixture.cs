using ParamServer.Worker.Kernels;

namespace ParamServer.Worker.Tests.Kernels;

/// <summary>
/// One ILGPU device per test class: a kernel that fails to compile leaves its context unusable, so classes
/// must not share one. <see cref="Device"/> is null when the accelerator does not exist here.
/// </summary>
public abstract class AcceleratorFixture : IDisposable
{
    protected AcceleratorFixture(Func<ComputeDevice?> create, string missingReason)
    {
        Device = create();
        SkipReason = Device is null ? missingReason : null;
    }

    public ComputeDevice? Device { get; }

    public string? SkipReason { get; }

    public void Dispose()
    {
        Device?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>CPU accelerator with the CPU kernel path: two threads, blocked work, SIMD products.</summary>
public sealed class CpuPathFixture() : AcceleratorFixture(() => ComputeDevice.CreateCpu(2), "");

/// <summary>CPU accelerator emulating the GPU kernel path: one item per thread, tiled shared-memory products.</summary>
public sealed class GpuPathOnCpuFixture() : AcceleratorFixture(() => ComputeDevice.CreateCpu(1, KernelPath.Gpu), "");

/// <summary>The first CUDA device, when one exists.</summary>
public sealed class CudaFixture() : AcceleratorFixture(CreateCuda, "No CUDA device on this machine.")
{
    private static ComputeDevice? CreateCuda()
    {
        try
        {
            return AcceleratorSelector.Create(AcceleratorPreference.Cuda);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
