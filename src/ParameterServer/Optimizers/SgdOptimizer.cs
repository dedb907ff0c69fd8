using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>Plain stochastic gradient descent: w = w - lr * g', with g' the clipped gradient plus the L2 term.</summary>
public sealed class SgdOptimizer : ElementwiseOptimizer
{
    private float _learningRate;

    public SgdOptimizer(int length, OptimizerHyperparameters hyperparameters, OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution)
    {
    }

    protected override void BeginStep(double learningRate, long step) => _learningRate = (float)learningRate;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        GradientTransform transform = Transform;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var lr = new Vector<float>(_learningRate);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            (wv - (lr * gv)).StoreUnsafe(ref w, (nuint)i);
        }

        float lrScalar = _learningRate;
        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            weights[i] = wi - (lrScalar * gi);
        }
    }
}
