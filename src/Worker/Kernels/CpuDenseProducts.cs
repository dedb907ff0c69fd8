using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Dense products for ILGPU's CPU accelerator. Its buffers live in host memory, so the products run as SIMD C#
/// (<see cref="CpuGemm"/>) directly on the buffers' native memory, with no copies: emulated GPU-style kernels
/// are one to two orders of magnitude slower there, because every simulated thread and barrier is an OS-level
/// operation. The only extra memory is a transposed copy of w for <see cref="BackwardInputs"/>.
/// </summary>
public sealed unsafe class CpuDenseProducts : IDenseProducts
{
    private readonly ComputeDevice _device;
    private float* _transposed;
    private long _transposedCapacity;

    internal CpuDenseProducts(ComputeDevice device)
    {
        if (!device.IsCpuAccelerator)
        {
            throw new ArgumentException(
                $"CpuDenseProducts needs the CPU accelerator; the device is '{device.Name}'.", nameof(device));
        }

        _device = device;
    }

    public void Forward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int m, int k, int n)
    {
        DenseProductChecks.Forward(x, w, y, m, k, n);
        _device.Stream.Synchronize();
        CpuGemm.Multiply(Pointer(x), k, 1, Pointer(w), Pointer(y), m, n, k, _device.CpuThreads);
    }

    public void BackwardWeights(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, int m, int k, int n)
    {
        DenseProductChecks.BackwardWeights(x, dy, dw, m, k, n);
        _device.Stream.Synchronize();
        CpuGemm.Multiply(Pointer(x), 1, k, Pointer(dy), Pointer(dw), k, n, m, _device.CpuThreads);
    }

    public void BackwardInputs(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, int m, int k, int n)
    {
        DenseProductChecks.BackwardInputs(dy, w, dx, m, k, n);
        _device.Stream.Synchronize();

        // The micro-kernel wants B row-major, so wᵀ [n, k] is written out first; that costs k * n element
        // moves against m * k * n multiply-adds for the product.
        float* transposed = Transposed((long)k * n);
        float* source = Pointer(w);
        for (int p = 0; p < k; p++)
        {
            float* row = source + (long)p * n;
            for (int j = 0; j < n; j++)
            {
                transposed[(long)j * k + p] = row[j];
            }
        }

        CpuGemm.Multiply(Pointer(dy), n, 1, transposed, Pointer(dx), m, k, n, _device.CpuThreads);
    }

    public void Dispose()
    {
        if (_transposed != null)
        {
            NativeMemory.AlignedFree(_transposed);
            _transposed = null;
            _transposedCapacity = 0;
        }
    }

    private static float* Pointer(ArrayView<float> view) => (float*)view.LoadEffectiveAddressAsPtr();

    private float* Transposed(long elements)
    {
        if (elements > _transposedCapacity)
        {
            Dispose();
            _transposed = (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(elements, 1) * sizeof(float)), 64);
            _transposedCapacity = elements;
        }

        return _transposed;
    }
}
