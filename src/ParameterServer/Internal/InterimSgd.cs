using System.Numerics.Tensors;
using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Internal;

/// <summary>Plain SGD, w &lt;- w - lr*g, standing in until the optimizer library is available.</summary>
internal sealed class InterimSgd : IOptimizer
{
    public long UpdateCount { get; private set; }

    public IReadOnlyList<OptimizerBuffer> StateBuffers => [];

    public static InterimSgd Create(OptimizerSpec spec, int length)
    {
        if (spec.Kind is not (OptimizerKind.Unspecified or OptimizerKind.Sgd))
        {
            throw new ArgumentException($"optimizer.kind {spec.Kind} is not supported yet; expected SGD.", nameof(spec));
        }

        return new InterimSgd();
    }

    public void Apply(Span<float> weights, Span<float> gradient, double learningRate)
    {
        TensorPrimitives.MultiplyAdd(gradient, (float)-learningRate, weights, weights);
        UpdateCount++;
    }

    public void RestoreState(long updateCount, IReadOnlyList<OptimizerBuffer> buffers) => UpdateCount = updateCount;
}
