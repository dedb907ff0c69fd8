namespace ParamServer.Server.Optimizers;

/// <summary>
/// An optimizer that updates one shard's slice of the weights in place. Implementations own their state arrays
/// (moments, accumulators), sized to the slice, and count the updates they applied.
/// </summary>
public interface IOptimizer
{
    /// <summary>Number of updates applied so far; Adam's bias correction uses it as t.</summary>
    long UpdateCount { get; }

    /// <summary>
    /// Applies one update to <paramref name="weights"/> with <paramref name="gradient"/> at
    /// <paramref name="learningRate"/>. The gradient is finite and has the slice's length; the optimizer may
    /// overwrite it (clipping, weight decay) to avoid an extra pass.
    /// </summary>
    void Apply(Span<float> weights, Span<float> gradient, double learningRate);

    /// <summary>State arrays by name, for checkpoints. The arrays are the live state, not copies.</summary>
    IReadOnlyList<OptimizerBuffer> StateBuffers { get; }

    /// <summary>Replaces the state with a checkpoint's; buffer names and lengths must match <see cref="StateBuffers"/>.</summary>
    void RestoreState(long updateCount, IReadOnlyList<OptimizerBuffer> buffers);
}

/// <summary>A named state array of an optimizer, such as "momentum" or "exp_avg_sq".</summary>
public sealed record OptimizerBuffer(string Name, float[] Values);
