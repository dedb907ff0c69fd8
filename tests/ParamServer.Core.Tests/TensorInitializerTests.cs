using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Core.Tests;

public class TensorInitializerTests
{
    private static TensorSlot Slot(InitializerSpec spec, params long[] shape)
    {
        var model = new ModelSpec { Tensors = { new TensorSpec { Name = "t", Shape = { shape }, Initializer = spec } } };
        return ModelLayout.Create(model).Tensors[0];
    }

    private static float[] FillAll(TensorSlot slot)
    {
        var values = new float[slot.Elements];
        TensorInitializer.Fill(slot, 0, values);
        return values;
    }

    [Fact]
    public void FillRange_ShardSlices_EqualSlicesOfWholeVector()
    {
        ModelLayout layout = ModelLayout.Create(MlpModel.CreateSpec([30, 20, 10], seed: 11));
        var whole = new float[layout.TotalElements];
        TensorInitializer.FillRange(layout, 0, whole);

        foreach (ShardRange range in RangePartitioner.Partition(layout, 3))
        {
            var slice = new float[range.Length];
            TensorInitializer.FillRange(layout, range.Start, slice);

            Assert.Equal(whole.AsSpan((int)range.Start, (int)range.Length).ToArray(), slice);
        }
    }

    [Fact]
    public void Fill_Constant_WritesValue()
    {
        float[] values = FillAll(Slot(new InitializerSpec { Kind = InitializerKind.Constant, Value = 0.25 }, 5));

        Assert.All(values, v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void Fill_Zeros_WhenNoInitializer()
    {
        var model = new ModelSpec { Tensors = { new TensorSpec { Name = "t", Shape = { 4 } } } };
        TensorSlot slot = ModelLayout.Create(model).Tensors[0];

        Assert.All(FillAll(slot), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Fill_Uniform_StaysInRangeAndIsSeeded()
    {
        var spec = new InitializerSpec { Kind = InitializerKind.Uniform, Low = -2, High = 3, Seed = 42 };
        float[] first = FillAll(Slot(spec, 10_000));
        float[] second = FillAll(Slot(spec, 10_000));
        float[] other = FillAll(Slot(new InitializerSpec(spec) { Seed = 43 }, 10_000));

        Assert.All(first, v => Assert.InRange(v, -2f, 3f));
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Average(), 0.45, 0.55);
    }

    [Fact]
    public void Fill_HeNormal_DeviationMatchesFanIn()
    {
        // fan_in = 400, so the standard deviation is sqrt(2/400) = 0.0707.
        float[] values = FillAll(Slot(new InitializerSpec { Kind = InitializerKind.HeNormal, Seed = 5 }, 400, 100));
        double mean = values.Average();
        double deviation = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());

        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(deviation, 0.0707 * 0.98, 0.0707 * 1.02);
    }

    [Fact]
    public void Fill_XavierUniform_BoundFromFans()
    {
        // bound = sqrt(6 / (60 + 40)) = 0.2449.
        float[] values = FillAll(Slot(new InitializerSpec { Kind = InitializerKind.XavierUniform, Seed = 9 }, 60, 40));

        Assert.All(values, v => Assert.InRange(v, -0.24495f, 0.24495f));
        Assert.True(values.Max() > 0.24f);
        Assert.True(values.Min() < -0.24f);
    }

    [Fact]
    public void FanInOut_Rank4_MultipliesReceptiveField()
    {
        Assert.Equal((3L * 25, 8L * 25), TensorInitializer.FanInOut([3, 8, 5, 5]));
        Assert.Equal((7L, 7L), TensorInitializer.FanInOut([7]));
    }

    [Fact]
    public void Fill_PastTensorEnd_Throws()
    {
        TensorSlot slot = Slot(new InitializerSpec { Kind = InitializerKind.Zeros }, 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => TensorInitializer.Fill(slot, 2, new float[3]));
    }
}
