namespace ParamServer.Worker.Tests.Kernels;

/// <summary>The kernels on the CPU accelerator with the CPU kernel path.</summary>
public sealed class CpuPathKernelTests(CpuPathFixture fixture)
    : KernelTests<CpuPathFixture>(fixture), IClassFixture<CpuPathFixture>;
