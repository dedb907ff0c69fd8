namespace ParamServer.Worker.Tests.Kernels;

/// <summary>The GPU kernel path (one item per thread, tiled shared-memory products) emulated on the CPU accelerator.</summary>
public sealed class GpuPathOnCpuKernelTests(GpuPathOnCpuFixture fixture)
    : KernelTests<GpuPathOnCpuFixture>(fixture), IClassFixture<GpuPathOnCpuFixture>;
