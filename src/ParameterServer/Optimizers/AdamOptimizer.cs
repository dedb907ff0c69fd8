using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// Adam, or AdamW when created with decoupled weight decay, with bias correction as PyTorch computes it. At update
/// t (1 for the first): m = beta1 * m + (1 - beta1) * g', v = beta2 * v + (1 - beta2) * g' * g',
/// denom = sqrt(v) * (1 / sqrt(1 - beta2^t)) + eps, w = w * (1 - lr * wd) - (lr / (1 - beta1^t)) * (m / denom).
/// For Adam the decay factor is 1 and g' includes the L2 term wd * w; for AdamW g' has no L2 term. The bias
/// corrections are computed in double once per update; multiplying by the reciprocal of sqrt(1 - beta2^t), where
/// PyTorch divides, leaves one division per element, because the divider limits a core before memory does.
/// State: "exp_avg", "exp_avg_sq".
/// </summary>
public sealed class AdamOptimizer : ElementwiseOptimizer
{
    private readonly bool _decoupled;
    private readonly float _beta1;
    private readonly float _oneMinusBeta1;
    private readonly float _beta2;
    private readonly float _oneMinusBeta2;
    private readonly float _epsilon;
    private float _stepSize;
    private float _inverseBiasCorrection2Sqrt;
    private float _decay;

    /// <param name="decoupledWeightDecay">True for AdamW: decay the weights directly instead of adding wd * w to g.</param>
    public AdamOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        bool decoupledWeightDecay,
        OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution, "exp_avg", "exp_avg_sq")
    {
        _decoupled = decoupledWeightDecay;
        _beta1 = (float)hyperparameters.Beta1;
        _oneMinusBeta1 = (float)(1 - hyperparameters.Beta1);
        _beta2 = (float)hyperparameters.Beta2;
        _oneMinusBeta2 = (float)(1 - hyperparameters.Beta2);
        _epsilon = (float)hyperparameters.Epsilon;
    }

    protected override bool DecouplesWeightDecay => _decoupled;

    protected override void BeginStep(double learningRate, long step)
    {
        OptimizerHyperparameters settings = Hyperparameters;
        double biasCorrection1 = 1 - Math.Pow(settings.Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(settings.Beta2, step);
        _stepSize = (float)(learningRate / biasCorrection1);
        _inverseBiasCorrection2Sqrt = (float)(1 / Math.Sqrt(biasCorrection2));
        _decay = _decoupled ? (float)(1 - (learningRate * settings.WeightDecay)) : 1f;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        GradientTransform transform = Transform;
        Span<float> firstMoment = Buffer(0).AsSpan(offset, weights.Length);
        Span<float> secondMoment = Buffer(1).AsSpan(offset, weights.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var beta1 = new Vector<float>(_beta1);
        var oneMinusBeta1 = new Vector<float>(_oneMinusBeta1);
        var beta2 = new Vector<float>(_beta2);
        var oneMinusBeta2 = new Vector<float>(_oneMinusBeta2);
        var epsilon = new Vector<float>(_epsilon);
        var stepSize = new Vector<float>(_stepSize);
        var inverseBiasCorrection2Sqrt = new Vector<float>(_inverseBiasCorrection2Sqrt);
        var decay = new Vector<float>(_decay);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            Vector<float> mv = (beta1 * Vector.LoadUnsafe(ref m, (nuint)i)) + (oneMinusBeta1 * gv);
            Vector<float> vv = (beta2 * Vector.LoadUnsafe(ref v, (nuint)i)) + (oneMinusBeta2 * (gv * gv));
            mv.StoreUnsafe(ref m, (nuint)i);
            vv.StoreUnsafe(ref v, (nuint)i);
            Vector<float> denominator = (Vector.SquareRoot(vv) * inverseBiasCorrection2Sqrt) + epsilon;
            ((wv * decay) - (stepSize * (mv / denominator))).StoreUnsafe(ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float mi = (_beta1 * firstMoment[i]) + (_oneMinusBeta1 * gi);
            float vi = (_beta2 * secondMoment[i]) + (_oneMinusBeta2 * (gi * gi));
            firstMoment[i] = mi;
            secondMoment[i] = vi;
            float denominator = (MathF.Sqrt(vi) * _inverseBiasCorrection2Sqrt) + _epsilon;
            weights[i] = (wi * _decay) - (_stepSize * (mi / denominator));
        }
    }
}
