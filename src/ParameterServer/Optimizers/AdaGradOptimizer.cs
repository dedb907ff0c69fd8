using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// AdaGrad as PyTorch defines it without learning-rate decay: G = G + g' * g', then
/// w = w - lr * (g' / (sqrt(G) + eps)), with G starting at the initial accumulator value. g' is the clipped
/// gradient plus the L2 term. State: "sum".
/// </summary>
public sealed class AdaGradOptimizer : ElementwiseOptimizer
{
    private readonly float _epsilon;
    private float _learningRate;

    public AdaGradOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution, "sum")
    {
        _epsilon = (float)hyperparameters.Epsilon;
        Buffer(0).AsSpan().Fill((float)hyperparameters.InitialAccumulator);
    }

    protected override void BeginStep(double learningRate, long step) => _learningRate = (float)learningRate;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        GradientTransform transform = Transform;
        Span<float> sum = Buffer(0).AsSpan(offset, weights.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s = ref MemoryMarshal.GetReference(sum);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var epsilon = new Vector<float>(_epsilon);
        var lr = new Vector<float>(_learningRate);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            Vector<float> sv = Vector.LoadUnsafe(ref s, (nuint)i) + (gv * gv);
            sv.StoreUnsafe(ref s, (nuint)i);
            (wv - (lr * (gv / (Vector.SquareRoot(sv) + epsilon)))).StoreUnsafe(ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float si = sum[i] + (gi * gi);
            sum[i] = si;
            weights[i] = wi - (_learningRate * (gi / (MathF.Sqrt(si) + _epsilon)));
        }
    }
}
