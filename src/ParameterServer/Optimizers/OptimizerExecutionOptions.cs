namespace ParamServer.Server.Optimizers;

/// <summary>
/// How an optimizer spreads one update over threads. The update is element-wise, so the split changes only
/// the speed: serial and parallel runs give bit-identical weights and state.
/// </summary>
public sealed record OptimizerExecutionOptions
{
    /// <summary>Default <see cref="ParallelThreshold"/>: 262,144 elements (1 MiB of float32 per array).</summary>
    public const int DefaultParallelThreshold = 1 << 18;

    /// <summary>
    /// Slices with fewer elements than this are updated on the calling thread, because fanning out costs
    /// more than it saves on them. Default 262,144; must be at least 1.
    /// </summary>
    public int ParallelThreshold { get; init; } = DefaultParallelThreshold;

    /// <summary>
    /// Maximum number of threads one update uses. 0 (the default) means every core,
    /// <see cref="Environment.ProcessorCount"/>; 1 keeps every update on the calling thread.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Settings that use every core above the default threshold.</summary>
    public static OptimizerExecutionOptions Default { get; } = new();

    /// <summary>Settings that keep every update on the calling thread.</summary>
    public static OptimizerExecutionOptions Serial { get; } = new() { MaxDegreeOfParallelism = 1 };

    /// <summary>The thread count in force: <see cref="MaxDegreeOfParallelism"/>, or the core count for 0.</summary>
    public int EffectiveDegreeOfParallelism =>
        MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (ParallelThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ParallelThreshold),
                ParallelThreshold,
                $"ParallelThreshold is {ParallelThreshold}; expected a value >= 1.");
        }

        if (MaxDegreeOfParallelism < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDegreeOfParallelism),
                MaxDegreeOfParallelism,
                $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; expected 0 (every core) or a value >= 1.");
        }
    }
}
