using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// Momentum as an exponential moving average of the gradient: v = beta * v + (1 - beta) * g', then
/// w = w - lr * v, with v starting at zero and no bias correction. g' is the clipped gradient plus the L2 term.
/// State: "momentum_buffer".
/// </summary>
public sealed class EmaMomentumOptimizer : ElementwiseOptimizer
{
    private readonly float _beta;
    private readonly float _oneMinusBeta;
    private float _learningRate;

    public EmaMomentumOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution, "momentum_buffer")
    {
        _beta = (float)hyperparameters.Momentum;
        _oneMinusBeta = (float)(1 - hyperparameters.Momentum);
    }

    protected override void BeginStep(double learningRate, long step) => _learningRate = (float)learningRate;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        GradientTransform transform = Transform;
        Span<float> velocity = Buffer(0).AsSpan(offset, weights.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float v = ref MemoryMarshal.GetReference(velocity);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var beta = new Vector<float>(_beta);
        var oneMinusBeta = new Vector<float>(_oneMinusBeta);
        var lr = new Vector<float>(_learningRate);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            Vector<float> vv = (beta * Vector.LoadUnsafe(ref v, (nuint)i)) + (oneMinusBeta * gv);
            vv.StoreUnsafe(ref v, (nuint)i);
            (wv - (lr * vv)).StoreUnsafe(ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float vi = (_beta * velocity[i]) + (_oneMinusBeta * gi);
            velocity[i] = vi;
            weights[i] = wi - (_learningRate * vi);
        }
    }
}
