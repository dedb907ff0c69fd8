using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// Classic momentum as PyTorch's SGD defines it. The first update sets v = g'; each later one sets
/// v = mu * v + (1 - dampening) * g'. The step is d = v, or d = g' + mu * v with Nesterov; then w = w - lr * d.
/// g' is the clipped gradient plus the L2 term. State: "momentum_buffer".
/// </summary>
public sealed class MomentumOptimizer : ElementwiseOptimizer
{
    private readonly float _mu;
    private readonly float _gradientWeight;
    private readonly bool _nesterov;
    private float _learningRate;
    private bool _firstStep;

    public MomentumOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution, "momentum_buffer")
    {
        _mu = (float)hyperparameters.Momentum;
        _gradientWeight = (float)(1 - hyperparameters.Dampening);
        _nesterov = hyperparameters.Nesterov;
    }

    protected override void BeginStep(double learningRate, long step)
    {
        _learningRate = (float)learningRate;
        _firstStep = step == 1;
    }

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

        // On the first update v = g' exactly: mu = 0 and a gradient weight of 1 give 0 * v + 1 * g' = g', because
        // v starts at zero (or contains restored finite values, which 0 * v also cancels).
        float muScalar = _firstStep ? 0f : _mu;
        float gradientWeightScalar = _firstStep ? 1f : _gradientWeight;
        float nesterovScalar = _nesterov ? _mu : 0f;
        float lrScalar = _learningRate;
        var mu = new Vector<float>(muScalar);
        var gradientWeight = new Vector<float>(gradientWeightScalar);
        var lr = new Vector<float>(lrScalar);
        var nesterovMu = new Vector<float>(nesterovScalar);
        int i = 0;
        if (_nesterov)
        {
            for (; i + width <= n; i += width)
            {
                Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
                Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
                Vector<float> vv = (mu * Vector.LoadUnsafe(ref v, (nuint)i)) + (gradientWeight * gv);
                vv.StoreUnsafe(ref v, (nuint)i);
                (wv - (lr * (gv + (nesterovMu * vv)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else
        {
            for (; i + width <= n; i += width)
            {
                Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
                Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
                Vector<float> vv = (mu * Vector.LoadUnsafe(ref v, (nuint)i)) + (gradientWeight * gv);
                vv.StoreUnsafe(ref v, (nuint)i);
                (wv - (lr * vv)).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float vi = (muScalar * velocity[i]) + (gradientWeightScalar * gi);
            velocity[i] = vi;
            float direction = _nesterov ? gi + (nesterovScalar * vi) : vi;
            weights[i] = wi - (lrScalar * direction);
        }
    }
}
