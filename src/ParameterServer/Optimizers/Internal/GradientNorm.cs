using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParamServer.Server.Optimizers.Internal;

/// <summary>
/// Sum of squares of a gradient after value clipping, for clipping by norm. The slice is cut into fixed blocks of
/// <see cref="BlockLength"/> elements; each block is summed in float32 SIMD lanes and the block sums are added in
/// double in block order. The blocks do not depend on the thread count, so serial and parallel runs return the
/// same bits.
/// </summary>
internal static class GradientNorm
{
    public const int BlockLength = 4096;

    public static int BlockCount(int length) => (length + BlockLength - 1) / BlockLength;

    /// <summary>Returns the sum of clamp(g, -clip, clip)^2 over <paramref name="gradient"/>.</summary>
    /// <param name="blockSums">Scratch space of at least <see cref="BlockCount"/> elements.</param>
    public static double SumOfSquares(
        ReadOnlySpan<float> gradient,
        float clip,
        double[] blockSums,
        int degreeOfParallelism,
        int parallelThreshold)
    {
        int blocks = BlockCount(gradient.Length);
        if (degreeOfParallelism <= 1 || gradient.Length < parallelThreshold)
        {
            for (int b = 0; b < blocks; b++)
            {
                blockSums[b] = SumBlock(gradient, b, clip);
            }
        }
        else
        {
            SumBlocksInParallel(gradient, clip, blockSums, degreeOfParallelism);
        }

        double total = 0;
        for (int b = 0; b < blocks; b++)
        {
            total += blockSums[b];
        }

        return total;
    }

    /// <summary>Fills <paramref name="blockSums"/> on the thread pool; separate so the serial path allocates nothing.</summary>
    private static unsafe void SumBlocksInParallel(
        ReadOnlySpan<float> gradient,
        float clip,
        double[] blockSums,
        int degreeOfParallelism)
    {
        fixed (float* pointer = gradient)
        {
            nint address = (nint)pointer;
            int length = gradient.Length;
            Parallel.For(
                0,
                BlockCount(length),
                new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism },
                b => blockSums[b] = SumBlock(new ReadOnlySpan<float>((float*)address, length), b, clip));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumBlock(ReadOnlySpan<float> gradient, int block, float clip)
    {
        int start = block * BlockLength;
        ReadOnlySpan<float> values = gradient.Slice(start, Math.Min(BlockLength, gradient.Length - start));
        var high = new Vector<float>(clip);
        var low = new Vector<float>(-clip);
        Vector<float> accumulator = Vector<float>.Zero;
        ref float first = ref MemoryMarshal.GetReference(values);
        int width = Vector<float>.Count;
        int i = 0;
        for (; i + width <= values.Length; i += width)
        {
            Vector<float> clamped = Vector.MinNative(Vector.MaxNative(Vector.LoadUnsafe(ref first, (nuint)i), low), high);
            accumulator += clamped * clamped;
        }

        float sum = Vector.Sum(accumulator);
        for (; i < values.Length; i++)
        {
            float clamped = Math.Min(Math.Max(values[i], -clip), clip);
            sum += clamped * clamped;
        }

        return sum;
    }
}
