using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

/// <summary>
/// The SIMD body, the scalar tail and the parallel chunks must compute every element identically, bit for bit.
/// </summary>
public sealed class OptimizerPathTests
{
    private const int Updates = 3;

    public static TheoryData<string> Names => VariantNames;

    [Theory]
    [MemberData(nameof(Names))]
    public void Lengths_MatchOneElementSlices(string variant)
    {
        // Clipping by norm couples the elements of a slice, so it is left out here; the parallel test covers it.
        OptimizerSpec spec = Variants[variant].Clone();
        spec.ClipNorm = 0;
        foreach (int length in new[] { 1, 7, 33, 1_000_003 })
        {
            (float[] weights, _) = RunLarge(spec, length, OptimizerExecutionOptions.Default);

            // A one-element optimizer runs only the scalar tail, so matching it shows the SIMD lanes round alike.
            foreach (int index in SampleIndices(length))
            {
                float[] single = [LargeWeight(index)];
                IOptimizer reference = OptimizerFactory.Create(spec, 1, OptimizerExecutionOptions.Serial);
                for (int k = 0; k < Updates; k++)
                {
                    reference.Apply(single, new[] { LargeGradient(index, k) }, 0.01);
                }

                Assert.True(
                    BitConverter.SingleToInt32Bits(single[0]) == BitConverter.SingleToInt32Bits(weights[index]),
                    $"{variant}, length {length}, index {index}: slice gave {weights[index]:R}, one element {single[0]:R}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parallel_BitIdenticalToSerial(string variant)
    {
        const int length = 1_000_003;
        var parallel = new OptimizerExecutionOptions { ParallelThreshold = 1, MaxDegreeOfParallelism = 4 };

        (float[] serialWeights, IOptimizer serial) = RunLarge(Variants[variant], length, OptimizerExecutionOptions.Serial);
        (float[] parallelWeights, IOptimizer threaded) = RunLarge(Variants[variant], length, parallel);

        AssertBitIdentical(serialWeights, parallelWeights, $"{variant} weights");
        for (int b = 0; b < serial.StateBuffers.Count; b++)
        {
            AssertBitIdentical(
                serial.StateBuffers[b].Values,
                threaded.StateBuffers[b].Values,
                $"{variant} {serial.StateBuffers[b].Name}");
        }
    }

    internal static (float[] Weights, IOptimizer Optimizer) RunLarge(
        OptimizerSpec spec,
        int length,
        OptimizerExecutionOptions execution)
    {
        float[] weights = LargeWeights(length);
        IOptimizer optimizer = OptimizerFactory.Create(spec, length, execution);
        for (int k = 0; k < Updates; k++)
        {
            optimizer.Apply(weights, LargeGradients(length, k), 0.01);
        }

        return (weights, optimizer);
    }

    internal static void AssertBitIdentical(float[] expected, float[] actual, string label)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{label} differ at {i}: {expected[i]:R} vs {actual[i]:R}.");
            }
        }
    }

    private static IEnumerable<int> SampleIndices(int length)
    {
        // Every element of short slices; for long ones the first vectors, a stride through the body and the tail.
        if (length <= 64)
        {
            return Enumerable.Range(0, length);
        }

        return Enumerable.Range(0, 40)
            .Concat(Enumerable.Range(0, 100).Select(k => (int)((long)k * length / 100)))
            .Concat(Enumerable.Range(length - 40, 40))
            .Distinct();
    }
}
