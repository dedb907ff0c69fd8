using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using static ParameterServer.Tests.Optimizers.OptimizerTestKit;

namespace ParameterServer.Tests.Optimizers;

public sealed class OptimizerStateTests
{
    private const int Length = 4099;

    public static TheoryData<string> Names => VariantNames;

    [Theory]
    [MemberData(nameof(Names))]
    public void RestoreState_ResumesBitExactly(string variant)
    {
        OptimizerSpec spec = Variants[variant];
        float[] weights = LargeWeights(Length);
        IOptimizer uninterrupted = OptimizerFactory.Create(spec, Length);
        for (int k = 0; k < 3; k++)
        {
            uninterrupted.Apply(weights, LargeGradients(Length, k), 0.01);
        }

        // Take a checkpoint as a deep copy of the weights, the update count and the state buffers.
        float[] checkpointWeights = (float[])weights.Clone();
        long checkpointCount = uninterrupted.UpdateCount;
        OptimizerBuffer[] checkpointBuffers = uninterrupted.StateBuffers
            .Select(b => new OptimizerBuffer(b.Name, (float[])b.Values.Clone()))
            .ToArray();
        for (int k = 3; k < 6; k++)
        {
            uninterrupted.Apply(weights, LargeGradients(Length, k), 0.01);
        }

        IOptimizer resumed = OptimizerFactory.Create(spec, Length);
        resumed.RestoreState(checkpointCount, checkpointBuffers);
        for (int k = 3; k < 6; k++)
        {
            resumed.Apply(checkpointWeights, LargeGradients(Length, k), 0.01);
        }

        Assert.Equal(6L, resumed.UpdateCount);
        OptimizerPathTests.AssertBitIdentical(weights, checkpointWeights, $"{variant} weights");
        for (int b = 0; b < resumed.StateBuffers.Count; b++)
        {
            OptimizerPathTests.AssertBitIdentical(
                uninterrupted.StateBuffers[b].Values,
                resumed.StateBuffers[b].Values,
                $"{variant} {resumed.StateBuffers[b].Name}");
        }
    }

    [Fact]
    public void StateBuffers_NamedAsPyTorch()
    {
        string[] Names(OptimizerSpec spec) =>
            OptimizerFactory.Create(spec, 2).StateBuffers.Select(b => b.Name).ToArray();

        Assert.Empty(Names(new OptimizerSpec { Kind = OptimizerKind.Sgd }));
        Assert.Equal(["momentum_buffer"], Names(new OptimizerSpec { Kind = OptimizerKind.Momentum }));
        Assert.Equal(["momentum_buffer"], Names(new OptimizerSpec { Kind = OptimizerKind.MomentumEma }));
        Assert.Equal(["sum"], Names(new OptimizerSpec { Kind = OptimizerKind.Adagrad }));
        Assert.Equal(["square_avg"], Names(new OptimizerSpec { Kind = OptimizerKind.Rmsprop }));
        Assert.Equal(
            ["square_avg", "grad_avg"],
            Names(new OptimizerSpec { Kind = OptimizerKind.Rmsprop, Centered = true }));
        Assert.Equal(["exp_avg", "exp_avg_sq"], Names(new OptimizerSpec { Kind = OptimizerKind.Adamw }));
    }

    [Fact]
    public void RestoreState_WrongName_Throws()
    {
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Adam }, 2);

        var error = Assert.Throws<ArgumentException>(() => optimizer.RestoreState(
            1,
            [new OptimizerBuffer("exp_avg", new float[2]), new OptimizerBuffer("momentum_buffer", new float[2])]));

        Assert.StartsWith("State buffer 1 is named 'momentum_buffer'; expected 'exp_avg_sq'.", error.Message);
    }

    [Fact]
    public void RestoreState_WrongLength_ThrowsAndKeepsState()
    {
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Momentum }, 2);
        optimizer.Apply(new float[2], new[] { 1f, 2f }, 0.1);

        var error = Assert.Throws<ArgumentException>(() => optimizer.RestoreState(
            5,
            [new OptimizerBuffer("momentum_buffer", new float[3])]));

        Assert.StartsWith("State buffer 'momentum_buffer' has 3 elements; expected 2.", error.Message);
        Assert.Equal(1L, optimizer.UpdateCount);
        Assert.Equal(new[] { 1f, 2f }, optimizer.StateBuffers[0].Values);
    }

    [Fact]
    public void Apply_WrongGradientLength_Throws()
    {
        IOptimizer optimizer = OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Sgd }, 3);

        var error = Assert.Throws<ArgumentException>(() => optimizer.Apply(new float[3], new float[2], 0.1));

        Assert.StartsWith("The gradient has 2 elements; the optimizer was created for 3.", error.Message);
        Assert.Equal(0L, optimizer.UpdateCount);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Apply_Serial_AllocatesNothing(string variant)
    {
        IOptimizer optimizer = OptimizerFactory.Create(Variants[variant], Length, OptimizerExecutionOptions.Serial);
        float[] weights = LargeWeights(Length);
        float[] gradient = LargeGradients(Length, 0);
        optimizer.Apply(weights, gradient, 0.01);

        long before = GC.GetAllocatedBytesForCurrentThread();
        optimizer.Apply(weights, gradient, 0.01);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0L, allocated);
    }
}
