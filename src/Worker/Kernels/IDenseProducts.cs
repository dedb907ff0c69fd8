using ILGPU;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// The three matrix products of a dense layer, over row-major float32 views on one device. Each product
/// overwrites its output. Work is queued on the device's default stream in order with the other kernels.
/// </summary>
public interface IDenseProducts : IDisposable
{
    /// <summary>Forward product: y[m, n] = x[m, k] · w[k, n].</summary>
    void Forward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int m, int k, int n);

    /// <summary>Weight gradient: dw[k, n] = xᵀ · dy, with x of shape [m, k] and dy of shape [m, n].</summary>
    void BackwardWeights(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, int m, int k, int n);

    /// <summary>Input gradient: dx[m, k] = dy · wᵀ, with dy of shape [m, n] and w of shape [k, n].</summary>
    void BackwardInputs(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, int m, int k, int n);
}
