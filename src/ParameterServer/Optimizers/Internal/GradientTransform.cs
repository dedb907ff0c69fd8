using System.Numerics;
using System.Runtime.CompilerServices;

namespace ParamServer.Server.Optimizers.Internal;

/// <summary>
/// The per-element preprocessing every update applies to the raw gradient before its rule:
/// g' = clamp(g, -clip, clip) * normScale + l2 * w. Disabled parts take identity values (clip +inf, scale 1,
/// l2 0), so the hot loops never branch on the settings. The vector and scalar forms use the same operations in
/// the same order and no fused multiply-add, so a SIMD lane and the scalar tail round identically. The vector clamp
/// uses the native min and max instructions, which differ from <see cref="Math.Min(float, float)"/> only for NaN
/// and for comparing +0 with -0; the gradient is finite and the bounds are never zero (0 disables clipping and
/// becomes +infinity), so neither case arises.
/// </summary>
internal readonly struct GradientTransform
{
    private readonly Vector<float> _clipHigh;
    private readonly Vector<float> _clipLow;
    private readonly Vector<float> _scale;
    private readonly Vector<float> _l2;

    public GradientTransform(float clipValue, float normScale, float l2)
    {
        _clipHigh = new Vector<float>(clipValue);
        _clipLow = new Vector<float>(-clipValue);
        _scale = new Vector<float>(normScale);
        _l2 = new Vector<float>(l2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Apply(Vector<float> gradient, Vector<float> weight) =>
        (Vector.MinNative(Vector.MaxNative(gradient, _clipLow), _clipHigh) * _scale) + (_l2 * weight);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float gradient, float weight) =>
        (Math.Min(Math.Max(gradient, _clipLow[0]), _clipHigh[0]) * _scale[0]) + (_l2[0] * weight);
}
