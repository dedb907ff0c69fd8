using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// RMSprop with the exponential moving average of squared gradients: G = rho * G + (1 - rho) * g' * g', then
/// w = w - lr * (g' / (sqrt(G) + eps)). Centered, it also keeps A = rho * A + (1 - rho) * g' and divides by
/// sqrt(max(G - A * A, 0)) + eps. g' is the clipped gradient plus the L2 term. State: "square_avg", and
/// "grad_avg" when centered.
/// </summary>
public sealed class RmsPropOptimizer : ElementwiseOptimizer
{
    private readonly float _rho;
    private readonly float _oneMinusRho;
    private readonly float _epsilon;
    private readonly bool _centered;
    private float _learningRate;

    public RmsPropOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        OptimizerExecutionOptions? execution = null)
        : base(length, hyperparameters, execution, BufferNames(hyperparameters))
    {
        _rho = (float)hyperparameters.Rho;
        _oneMinusRho = (float)(1 - hyperparameters.Rho);
        _epsilon = (float)hyperparameters.Epsilon;
        _centered = hyperparameters.Centered;
    }

    protected override void BeginStep(double learningRate, long step) => _learningRate = (float)learningRate;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        if (_centered)
        {
            UpdateCentered(weights, gradient, offset);
            return;
        }

        GradientTransform transform = Transform;
        Span<float> squareAverage = Buffer(0).AsSpan(offset, weights.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s = ref MemoryMarshal.GetReference(squareAverage);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var rho = new Vector<float>(_rho);
        var oneMinusRho = new Vector<float>(_oneMinusRho);
        var epsilon = new Vector<float>(_epsilon);
        var lr = new Vector<float>(_learningRate);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            Vector<float> sv = (rho * Vector.LoadUnsafe(ref s, (nuint)i)) + (oneMinusRho * (gv * gv));
            sv.StoreUnsafe(ref s, (nuint)i);
            (wv - (lr * (gv / (Vector.SquareRoot(sv) + epsilon)))).StoreUnsafe(ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float si = (_rho * squareAverage[i]) + (_oneMinusRho * (gi * gi));
            squareAverage[i] = si;
            weights[i] = wi - (_learningRate * (gi / (MathF.Sqrt(si) + _epsilon)));
        }
    }

    private static string[] BufferNames(OptimizerHyperparameters hyperparameters) =>
        hyperparameters.Centered ? ["square_avg", "grad_avg"] : ["square_avg"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateCentered(Span<float> weights, ReadOnlySpan<float> gradient, int offset)
    {
        GradientTransform transform = Transform;
        Span<float> squareAverage = Buffer(0).AsSpan(offset, weights.Length);
        Span<float> gradientAverage = Buffer(1).AsSpan(offset, weights.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s = ref MemoryMarshal.GetReference(squareAverage);
        ref float a = ref MemoryMarshal.GetReference(gradientAverage);
        int n = weights.Length;
        int width = Vector<float>.Count;
        var rho = new Vector<float>(_rho);
        var oneMinusRho = new Vector<float>(_oneMinusRho);
        var epsilon = new Vector<float>(_epsilon);
        var lr = new Vector<float>(_learningRate);
        int i = 0;
        for (; i + width <= n; i += width)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref w, (nuint)i);
            Vector<float> gv = transform.Apply(Vector.LoadUnsafe(ref g, (nuint)i), wv);
            Vector<float> sv = (rho * Vector.LoadUnsafe(ref s, (nuint)i)) + (oneMinusRho * (gv * gv));
            Vector<float> av = (rho * Vector.LoadUnsafe(ref a, (nuint)i)) + (oneMinusRho * gv);
            sv.StoreUnsafe(ref s, (nuint)i);
            av.StoreUnsafe(ref a, (nuint)i);

            // Rounding can leave G a few ulps below A * A; the clamp keeps the square root real.
            Vector<float> variance = Vector.Max(sv - (av * av), Vector<float>.Zero);
            (wv - (lr * (gv / (Vector.SquareRoot(variance) + epsilon)))).StoreUnsafe(ref w, (nuint)i);
        }

        for (; i < n; i++)
        {
            float wi = weights[i];
            float gi = transform.Apply(gradient[i], wi);
            float si = (_rho * squareAverage[i]) + (_oneMinusRho * (gi * gi));
            float ai = (_rho * gradientAverage[i]) + (_oneMinusRho * gi);
            squareAverage[i] = si;
            gradientAverage[i] = ai;
            float variance = Math.Max(si - (ai * ai), 0f);
            weights[i] = wi - (_learningRate * (gi / (MathF.Sqrt(variance) + _epsilon)));
        }
    }
}
