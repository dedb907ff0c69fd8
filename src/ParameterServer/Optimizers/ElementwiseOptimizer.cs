using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Server.Optimizers;

/// <summary>
/// Base of the optimizers, whose update of element i depends only on element i of the weights, the gradient and
/// the state. One <see cref="Apply"/> optionally computes the slice's gradient norm (a read of the gradient, only
/// when clipping by norm), then makes one fused pass that clips, rescales, adds the L2 term and applies the rule,
/// reading and writing each array once. Slices of at least
/// <see cref="OptimizerExecutionOptions.ParallelThreshold"/> elements are split into aligned chunks updated on
/// several threads; the result is bit-identical to the serial one. Instances are not thread-safe: the caller
/// applies one update at a time.
/// </summary>
public abstract class ElementwiseOptimizer : IOptimizer
{
    private readonly OptimizerBuffer[] _buffers;
    private readonly double[] _normBlockSums;
    private readonly int _degreeOfParallelism;
    private readonly int _parallelThreshold;
    private readonly ChunkPlan _plan;
    private readonly ParallelOptions _parallelOptions;
    private long _updateCount;

    /// <param name="length">Number of elements of the slice the optimizer updates.</param>
    /// <param name="hyperparameters">Resolved settings; validate them with <see cref="OptimizerSpecValidator"/>.</param>
    /// <param name="execution">Threading settings; null takes <see cref="OptimizerExecutionOptions.Default"/>.</param>
    /// <param name="bufferNames">Names of the state arrays, each allocated with <paramref name="length"/> zeros.</param>
    protected ElementwiseOptimizer(
        int length,
        OptimizerHyperparameters hyperparameters,
        OptimizerExecutionOptions? execution,
        params string[] bufferNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        execution ??= OptimizerExecutionOptions.Default;
        execution.Validate();
        Length = length;
        Hyperparameters = hyperparameters;
        _buffers = bufferNames.Select(name => new OptimizerBuffer(name, new float[length])).ToArray();
        _normBlockSums = hyperparameters.ClipNorm > 0 ? new double[GradientNorm.BlockCount(length)] : [];
        _degreeOfParallelism = execution.EffectiveDegreeOfParallelism;
        _parallelThreshold = execution.ParallelThreshold;
        _plan = ChunkPlan.For(length, _degreeOfParallelism);
        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = _degreeOfParallelism };
    }

    /// <summary>Number of elements of the slice.</summary>
    public int Length { get; }

    /// <summary>The settings this optimizer applies.</summary>
    public OptimizerHyperparameters Hyperparameters { get; }

    /// <inheritdoc />
    public long UpdateCount => _updateCount;

    /// <inheritdoc />
    public IReadOnlyList<OptimizerBuffer> StateBuffers => _buffers;

    /// <summary>The per-element gradient preprocessing of the update in progress.</summary>
    private protected GradientTransform Transform { get; private set; }

    /// <summary>
    /// True when the weight decay is decoupled from the gradient (AdamW), so the transform adds no L2 term.
    /// </summary>
    protected virtual bool DecouplesWeightDecay => false;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A span's length differs from <see cref="Length"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public void Apply(Span<float> weights, Span<float> gradient, double learningRate)
    {
        if (weights.Length != Length)
        {
            throw new ArgumentException(
                $"The weights have {weights.Length} elements; the optimizer was created for {Length}.",
                nameof(weights));
        }

        if (gradient.Length != Length)
        {
            throw new ArgumentException(
                $"The gradient has {gradient.Length} elements; the optimizer was created for {Length}.",
                nameof(gradient));
        }

        if (!double.IsFinite(learningRate) || learningRate < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(learningRate),
                learningRate,
                $"The learning rate is {learningRate}; expected a finite value >= 0.");
        }

        Transform = CreateTransform(gradient);
        long step = _updateCount + 1;
        BeginStep(learningRate, step);
        if (_degreeOfParallelism <= 1 || Length < _parallelThreshold || _plan.ChunkCount <= 1)
        {
            UpdateRange(weights, gradient, 0);
        }
        else
        {
            UpdateInParallel(weights, gradient);
        }

        _updateCount = step;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The names, order or lengths differ from <see cref="StateBuffers"/>.</exception>
    public void RestoreState(long updateCount, IReadOnlyList<OptimizerBuffer> buffers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(updateCount);
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Count != _buffers.Length)
        {
            throw new ArgumentException(
                $"The checkpoint has {buffers.Count} state buffers; this optimizer expects {_buffers.Length} "
                + $"({string.Join(", ", _buffers.Select(b => b.Name))}).",
                nameof(buffers));
        }

        for (int i = 0; i < _buffers.Length; i++)
        {
            OptimizerBuffer expected = _buffers[i];
            OptimizerBuffer received = buffers[i];
            if (received.Name != expected.Name)
            {
                throw new ArgumentException(
                    $"State buffer {i} is named '{received.Name}'; expected '{expected.Name}'.",
                    nameof(buffers));
            }

            if (received.Values.Length != expected.Values.Length)
            {
                throw new ArgumentException(
                    $"State buffer '{received.Name}' has {received.Values.Length} elements; expected "
                    + $"{expected.Values.Length}.",
                    nameof(buffers));
            }
        }

        for (int i = 0; i < _buffers.Length; i++)
        {
            if (!ReferenceEquals(buffers[i].Values, _buffers[i].Values))
            {
                buffers[i].Values.AsSpan().CopyTo(_buffers[i].Values);
            }
        }

        _updateCount = updateCount;
    }

    /// <summary>Returns the live state array at <paramref name="index"/> of the names given to the constructor.</summary>
    protected float[] Buffer(int index) => _buffers[index].Values;

    /// <summary>
    /// Computes the scalars of update number <paramref name="step"/> (1 for the first) before the chunks run.
    /// </summary>
    protected abstract void BeginStep(double learningRate, long step);

    /// <summary>
    /// Updates elements [offset, offset + weights.Length) of the slice. Runs concurrently on disjoint ranges.
    /// Implementations mark it <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>:
    /// it is called once or a few times per update, too rarely for tiered compilation to promote it soon, and the
    /// unoptimized first tier is several times slower on these loops.
    /// </summary>
    protected abstract void UpdateRange(Span<float> weights, ReadOnlySpan<float> gradient, int offset);

    /// <summary>
    /// Updates the slice chunk by chunk on the thread pool. Kept out of <see cref="Apply"/> so that the serial path
    /// allocates nothing: the lambda's closure is created only here.
    /// </summary>
    private unsafe void UpdateInParallel(Span<float> weights, ReadOnlySpan<float> gradient)
    {
        fixed (float* weightPointer = weights)
        fixed (float* gradientPointer = gradient)
        {
            nint weightAddress = (nint)weightPointer;
            nint gradientAddress = (nint)gradientPointer;
            Parallel.For(0, _plan.ChunkCount, _parallelOptions, chunk =>
            {
                (int start, int length) = _plan[chunk];
                UpdateRange(
                    new Span<float>((float*)weightAddress + start, length),
                    new ReadOnlySpan<float>((float*)gradientAddress + start, length),
                    start);
            });
        }
    }

    private GradientTransform CreateTransform(ReadOnlySpan<float> gradient)
    {
        OptimizerHyperparameters settings = Hyperparameters;
        float clip = settings.ClipValue > 0 ? (float)settings.ClipValue : float.PositiveInfinity;
        float scale = 1f;
        if (settings.ClipNorm > 0)
        {
            // NOTE: the norm is that of this shard's slice, not of the whole model; with S shards the combined
            // gradient can keep a norm of up to clip_norm * sqrt(S).
            double sumOfSquares = GradientNorm.SumOfSquares(
                gradient, clip, _normBlockSums, _degreeOfParallelism, _parallelThreshold);
            double coefficient = settings.ClipNorm / (Math.Sqrt(sumOfSquares) + OptimizerDefaults.ClipNormEpsilon);
            scale = coefficient < 1 ? (float)coefficient : 1f;
        }

        float l2 = DecouplesWeightDecay ? 0f : (float)settings.WeightDecay;
        return new GradientTransform(clip, scale, l2);
    }
}
