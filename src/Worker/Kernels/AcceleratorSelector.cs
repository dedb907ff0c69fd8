using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Chooses the accelerator: with <see cref="AcceleratorPreference.Auto"/> the first CUDA device, else the first
/// OpenCL GPU, else ILGPU's CPU accelerator with one thread per core. An explicit preference takes only that kind
/// and fails when none exists. The choice is logged once.
/// </summary>
public static class AcceleratorSelector
{
    /// <summary>Creates the device for <paramref name="preference"/>.</summary>
    /// <param name="preference">Requested kind.</param>
    /// <param name="logger">Receives the choice; null logs nothing.</param>
    /// <param name="cpuThreads">CPU accelerator threads; 0 (the default) uses <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="InvalidOperationException">An explicit CUDA or OpenCL request found no such device.</exception>
    public static ComputeDevice Create(AcceleratorPreference preference, ILogger? logger = null, int cpuThreads = 0)
    {
        logger ??= NullLogger.Instance;
        ArgumentOutOfRangeException.ThrowIfNegative(cpuThreads);
        int threads = cpuThreads == 0 ? Environment.ProcessorCount : cpuThreads;
        ComputeDevice device = preference == AcceleratorPreference.Cpu
            ? ComputeDevice.CreateCpu(threads)
            : CreateGpu(preference, logger) ?? ComputeDevice.CreateCpu(threads);
        KernelsLog.AcceleratorSelected(
            logger, device.Name, device.Accelerator.AcceleratorType.ToString(), preference, device.Path);
        return device;
    }

    private static ComputeDevice? CreateGpu(AcceleratorPreference preference, ILogger logger)
    {
        bool wantCuda = preference is AcceleratorPreference.Auto or AcceleratorPreference.Cuda;
        bool wantOpenCL = preference is AcceleratorPreference.Auto or AcceleratorPreference.OpenCL;
        Context context = Context.Create(builder =>
        {
            if (wantCuda)
            {
                builder.Cuda();
            }

            if (wantOpenCL)
            {
                builder.OpenCL(device => device.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU);
            }

            builder.EnableAlgorithms().Optimize(OptimizationLevel.O2);
        });

        List<Device> cuda = [.. context.GetCudaDevices()];
        List<Device> openCL = [.. context.GetCLDevices()];
        KernelsLog.AcceleratorsFound(logger, cuda.Count, openCL.Count);
        foreach (Device device in cuda.Concat(openCL))
        {
            try
            {
                return new ComputeDevice(context, device.CreateAccelerator(context), KernelPath.Gpu);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                KernelsLog.AcceleratorFailed(logger, exception, device.AcceleratorType.ToString(), device.Name);
            }
        }

        context.Dispose();
        if (preference == AcceleratorPreference.Auto)
        {
            return null;
        }

        throw new InvalidOperationException(
            $"Accelerator '{preference.ToString().ToLowerInvariant()}' was requested but no usable device of that " +
            $"kind was found; set Worker:Accelerator to auto or cpu to use the CPU accelerator.");
    }
}
