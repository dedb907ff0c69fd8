using System.Numerics;

namespace ParamServer.Server.Validation;

/// <summary>Finds NaN and infinite values in a gradient with one vectorized pass.</summary>
internal static class FiniteScanner
{
    /// <summary>Returns the index of the first NaN or infinity in <paramref name="values"/>, or -1 when all are finite.</summary>
    public static int FindNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            // x - x is +0 for every finite x and NaN for NaN and both infinities.
            int last = values.Length - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                var vector = new Vector<float>(values.Slice(i));
                if (!Vector.EqualsAll(vector - vector, Vector<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
