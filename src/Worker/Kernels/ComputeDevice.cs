using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// An ILGPU context with one accelerator and the kernel strategy used on it. It owns both and disposes them.
/// A kernel that fails to compile leaves its context unusable, so each owner (a worker, a test class) creates
/// its own device.
/// </summary>
public sealed class ComputeDevice : IDisposable
{
    private readonly Context _context;
    private bool _disposed;

    internal ComputeDevice(Context context, Accelerator accelerator, KernelPath path)
    {
        _context = context;
        Accelerator = accelerator;
        Path = path;
        IsCpuAccelerator = accelerator.AcceleratorType == AcceleratorType.CPU;
        CpuThreads = IsCpuAccelerator ? accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor : 0;
        Name = IsCpuAccelerator
            ? $"CPU accelerator ({CpuThreads} threads, {path} kernel path)"
            : $"{accelerator.AcceleratorType} {accelerator.Name}";
    }

    public Accelerator Accelerator { get; }

    /// <summary>Kernel strategy: one item per thread (GPU) or one contiguous block per core (CPU).</summary>
    public KernelPath Path { get; }

    /// <summary>Device description for logs and status, such as "CPU accelerator (2 threads, Cpu kernel path)".</summary>
    public string Name { get; }

    /// <summary>True when the accelerator is ILGPU's CPU accelerator, whose buffers live in host memory.</summary>
    public bool IsCpuAccelerator { get; }

    /// <summary>Threads of the CPU accelerator; 0 on other accelerators.</summary>
    public int CpuThreads { get; }

    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>
    /// Creates a CPU accelerator device with <paramref name="threads"/> threads (warps of two threads, so an odd
    /// count rounds up to the next even number).
    /// </summary>
    /// <param name="threads">Hardware threads to simulate; the worker passes the core count.</param>
    /// <param name="path">
    /// Kernel strategy. <see cref="KernelPath.Gpu"/> on a CPU accelerator runs the GPU kernels in emulation, which
    /// is slow and meant for tests on tiny shapes; it needs groups of <see cref="TiledDenseProducts.GroupSize"/>
    /// threads, so that device is built with one multiprocessor of that many threads instead.
    /// </param>
    public static ComputeDevice CreateCpu(int threads, KernelPath path = KernelPath.Cpu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        CPUDevice cpu = path == KernelPath.Cpu
            ? new CPUDevice(numThreadsPerWarp: 2, numWarpsPerMultiprocessor: 1, numMultiprocessors: (threads + 1) / 2)
            : new CPUDevice(
                numThreadsPerWarp: TiledDenseProducts.GroupWidth,
                numWarpsPerMultiprocessor: TiledDenseProducts.GroupWidth,
                numMultiprocessors: 1);
        Context context = Context.Create(builder => builder.CPU(cpu).EnableAlgorithms().Optimize(OptimizationLevel.O2));
        try
        {
            Accelerator accelerator = context.GetCPUDevice(0).CreateCPUAccelerator(context);
            return new ComputeDevice(context, accelerator, path);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Creates the dense-product implementation for this device's kernel path.</summary>
    public IDenseProducts CreateDenseProducts() =>
        Path == KernelPath.Cpu
            ? new CpuDenseProducts(this)
            : new TiledDenseProducts(this);

    /// <summary>Work split of an elementwise kernel over <paramref name="items"/> items.</summary>
    public WorkSplit Split(int items) =>
        Path == KernelPath.Gpu ? WorkSplit.PerItem(items) : WorkSplit.Blocked(items, Math.Max(CpuThreads, 1));

    /// <summary>Waits for all queued work.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Accelerator.Dispose();
        _context.Dispose();
    }
}
