using ILGPU;

namespace ParamServer.Worker.Kernels;

/// <summary>Length checks shared by the <see cref="IDenseProducts"/> implementations.</summary>
internal static class DenseProductChecks
{
    public static void Forward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int m, int k, int n)
    {
        Dimensions(m, k, n);
        Require(x, (long)m * k, nameof(x), "m x k");
        Require(w, (long)k * n, nameof(w), "k x n");
        Require(y, (long)m * n, nameof(y), "m x n");
    }

    public static void BackwardWeights(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, int m, int k, int n)
    {
        Dimensions(m, k, n);
        Require(x, (long)m * k, nameof(x), "m x k");
        Require(dy, (long)m * n, nameof(dy), "m x n");
        Require(dw, (long)k * n, nameof(dw), "k x n");
    }

    public static void BackwardInputs(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, int m, int k, int n)
    {
        Dimensions(m, k, n);
        Require(dy, (long)m * n, nameof(dy), "m x n");
        Require(w, (long)k * n, nameof(w), "k x n");
        Require(dx, (long)m * k, nameof(dx), "m x k");
    }

    private static void Dimensions(int m, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
    }

    private static void Require(ArrayView<float> view, long minimum, string name, string shape)
    {
        if (view.Length < minimum)
        {
            throw new ArgumentException(
                $"{name} has {view.Length} elements; expected at least {shape} = {minimum}.", name);
        }
    }
}
