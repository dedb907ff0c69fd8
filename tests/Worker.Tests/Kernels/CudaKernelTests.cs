namespace ParamServer.Worker.Tests.Kernels;

/// <summary>The kernels on the first CUDA device; skipped where there is none.</summary>
public sealed class CudaKernelTests(CudaFixture fixture)
    : KernelTests<CudaFixture>(fixture), IClassFixture<CudaFixture>;
