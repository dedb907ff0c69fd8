using ParamServer.Protocol.V1;

namespace ParamServer.Model;

/// <summary>
/// Fills tensors with their initial values. Random kinds draw element i from a counter-based generator keyed by
/// (seed, i), so a shard can initialize its slice of a tensor without generating the rest, and every process
/// produces the same values for the same spec.
/// </summary>
public static class TensorInitializer
{
    /// <summary>
    /// Writes elements [<paramref name="offsetInTensor"/>, offsetInTensor + destination.Length) of
    /// <paramref name="tensor"/> into <paramref name="destination"/>.
    /// </summary>
    public static void Fill(TensorSlot tensor, long offsetInTensor, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNegative(offsetInTensor);
        if (offsetInTensor + destination.Length > tensor.Elements)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offsetInTensor),
                $"Elements [{offsetInTensor}, {offsetInTensor + destination.Length}) exceed tensor '{tensor.Name}' of {tensor.Elements} elements.");
        }

        InitializerSpec spec = tensor.Initializer ?? new InitializerSpec { Kind = InitializerKind.Zeros };
        ulong seed = spec.Seed != 0 ? spec.Seed : DeriveSeed(tensor.Index);
        (long fanIn, long fanOut) = FanInOut(tensor.Shape);
        double gain = spec.Gain == 0 ? 1.0 : spec.Gain;

        switch (spec.Kind)
        {
            case InitializerKind.Unspecified:
            case InitializerKind.Zeros:
                destination.Clear();
                break;
            case InitializerKind.Constant:
                destination.Fill((float)spec.Value);
                break;
            case InitializerKind.Uniform:
                FillUniform(destination, seed, offsetInTensor, spec.Low, spec.High);
                break;
            case InitializerKind.Normal:
                FillNormal(destination, seed, offsetInTensor, spec.Mean, spec.Stddev);
                break;
            case InitializerKind.XavierUniform:
            {
                double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                FillUniform(destination, seed, offsetInTensor, -bound, bound);
                break;
            }
            case InitializerKind.XavierNormal:
                FillNormal(destination, seed, offsetInTensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
                break;
            case InitializerKind.HeUniform:
            {
                double bound = gain * Math.Sqrt(6.0 / fanIn);
                FillUniform(destination, seed, offsetInTensor, -bound, bound);
                break;
            }
            case InitializerKind.HeNormal:
                FillNormal(destination, seed, offsetInTensor, 0, gain * Math.Sqrt(2.0 / fanIn));
                break;
            default:
                throw new ArgumentException(
                    $"Initializer kind {(int)spec.Kind} of tensor '{tensor.Name}' is unknown.", nameof(tensor));
        }
    }

    /// <summary>Writes the initial values of the flat-vector range [start, start + destination.Length).</summary>
    public static void FillRange(ModelLayout layout, long start, Span<float> destination)
    {
        long end = start + destination.Length;
        foreach (TensorSlot tensor in layout.Tensors)
        {
            long from = Math.Max(start, tensor.Offset);
            long to = Math.Min(end, tensor.End);
            if (from < to)
            {
                Fill(tensor, from - tensor.Offset, destination.Slice((int)(from - start), (int)(to - from)));
            }
        }
    }

    /// <summary>
    /// Returns (fan_in, fan_out): for rank 1 both are shape[0]; otherwise shape[0] and shape[1], each times the
    /// product of the remaining dimensions. The MLP stores a dense weight as [inputs, outputs].
    /// </summary>
    public static (long FanIn, long FanOut) FanInOut(IReadOnlyList<long> shape)
    {
        if (shape.Count == 1)
        {
            return (shape[0], shape[0]);
        }

        long receptive = 1;
        for (int d = 2; d < shape.Count; d++)
        {
            receptive *= shape[d];
        }

        return (shape[0] * receptive, shape[1] * receptive);
    }

    /// <summary>Returns a uniform double in [0, 1) for counter <paramref name="index"/> of stream <paramref name="seed"/>.</summary>
    public static double UniformAt(ulong seed, ulong index) => (Mix(seed ^ Mix(index)) >> 11) * (1.0 / (1UL << 53));

    private static void FillUniform(Span<float> destination, ulong seed, long offset, double low, double high)
    {
        double width = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(low + width * UniformAt(seed, (ulong)(offset + i)));
        }
    }

    private static void FillNormal(Span<float> destination, ulong seed, long offset, double mean, double stddev)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            ulong counter = 2 * (ulong)(offset + i);
            double u1 = 1.0 - UniformAt(seed, counter);
            double u2 = UniformAt(seed, counter + 1);
            double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            destination[i] = (float)(mean + stddev * z);
        }
    }

    private static ulong DeriveSeed(int tensorIndex) => Mix(0x5EED_0000UL + (ulong)tensorIndex);

    // SplitMix64 finalizer: a bijective mix with good avalanche, used as a counter-based generator.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
