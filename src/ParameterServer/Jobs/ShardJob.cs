using System.Runtime.InteropServices;
using Grpc.Core;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Server.Consistency;
using ParamServer.Server.Membership;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;
using ParamServer.Sharding;

namespace ParamServer.Server.Jobs;

/// <summary>
/// One job's state on this shard: the weights of the shard's range, the optimizer and schedule, the version, the
/// registered workers and their exactly-once records, and the consistency strategy that decides when gradients are
/// applied. One lock guards all of it; the expensive parts that need no shared state (reading chunks, the NaN scan,
/// sending weights) run outside it.
/// </summary>
internal sealed partial class ShardJob : IConsistencyContext
{
    private const int MaxRecentEvents = 64;

    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly float[] _weights;
    private readonly IOptimizer _optimizer;
    private readonly ILearningRateSchedule _schedule;
    private readonly IConsistencyStrategy _consistency;
    private readonly Dictionary<uint, WorkerMember> _workers = new();
    private readonly List<WorkerMember> _liveTrainers = new();
    private readonly EpochAssignments _assignments = new();
    private readonly Queue<MembershipEvent> _recentEvents = new();
    private readonly Queue<long> _versionTimestamps = new();
    private readonly ByteBufferPool _gradientPool;
    private readonly ByteBufferPool _snapshotPool;
    private readonly int _maxWorkers;
    private readonly long _createdTimestamp;

    private long _version;
    private double? _learningRateOverride;
    private uint _nextWorkerId = 1;
    private WeightsSnapshot? _snapshot;
    private TaskCompletionSource _changed = NewSignal();
    private EvaluationRecord? _lastEvaluation;
    private double _lastTrainingLoss = double.NaN;
    private bool _closed;

    public ShardJob(
        JobSpec spec,
        int shardIndex,
        TimeSpan defaultHeartbeatTimeout,
        int maxWorkers,
        IJobComponentFactory components,
        TimeProvider time,
        ILogger logger)
    {
        Spec = spec;
        ShardIndex = shardIndex;
        Layout = ModelLayout.Create(spec.Model);
        Range = RangePartitioner.RangeOf(Layout.TotalElements, spec.NumShards, shardIndex);
        int length = checked((int)Range.Length);
        HeartbeatTimeout = spec.Consistency.HeartbeatTimeoutSeconds > 0
            ? TimeSpan.FromSeconds(spec.Consistency.HeartbeatTimeoutSeconds)
            : defaultHeartbeatTimeout;
        _maxWorkers = maxWorkers;
        _time = time;
        _logger = logger;
        _optimizer = components.CreateOptimizer(spec.Optimizer ?? new OptimizerSpec(), length);
        _schedule = components.CreateSchedule(spec.Schedule ?? new ScheduleSpec());
        _consistency = ConsistencyStrategyFactory.Create(spec.Consistency, this);

        _weights = GC.AllocateUninitializedArray<float>(length);
        TensorInitializer.FillRange(Layout, Range.Start, _weights);

        int sliceBytes = checked(length * sizeof(float));
        _gradientPool = new ByteBufferPool(sliceBytes, RetainedBuffers(sliceBytes, 16));
        _snapshotPool = new ByteBufferPool(sliceBytes, RetainedBuffers(sliceBytes, 4));
        _createdTimestamp = time.GetTimestamp();
    }

    public string JobId => Spec.JobId;

    /// <summary>The normalized spec the job was created with.</summary>
    public JobSpec Spec { get; }

    public int ShardIndex { get; }

    /// <summary>Shard 0 assigns worker ids and data assignments.</summary>
    public bool IsCoordinator => ShardIndex == 0;

    public ModelLayout Layout { get; }

    /// <summary>The part of the flat parameter vector this shard owns.</summary>
    public ShardRange Range { get; }

    public TimeSpan HeartbeatTimeout { get; }

    public ConsistencyMode Mode => _consistency.Mode;

    public JobCounters Counters { get; } = new();

    public long Version
    {
        get
        {
            lock (_sync)
            {
                return _version;
            }
        }
    }

    long IConsistencyContext.Version => _version;

    IReadOnlyCollection<WorkerMember> IConsistencyContext.LiveTrainers => _liveTrainers;

    double IConsistencyContext.CurrentLearningRate => CurrentLearningRateLocked();

    (long Version, double LearningRate) IConsistencyContext.ApplyUpdate(Span<float> gradient, double learningRateScale)
    {
        double learningRate = CurrentLearningRateLocked() * learningRateScale;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        _optimizer.Apply(_weights, gradient, learningRate);
        Counters.AddUpdate(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return (AdvanceVersionLocked(), learningRate);
    }

    long IConsistencyContext.AdvanceVersion() => AdvanceVersionLocked();

    void IConsistencyContext.ReturnGradient(byte[] buffer) => _gradientPool.Return(buffer);

    /// <summary>Rents a buffer of the slice's size for an incoming gradient; give it to <see cref="SubmitAsync"/>.</summary>
    public byte[] RentGradient() => _gradientPool.Rent();

    public void ReturnGradient(byte[] buffer) => _gradientPool.Return(buffer);

    /// <summary>Fails every pending push and wakes every waiter with <paramref name="status"/>; the job takes no more calls.</summary>
    public void Close(Status status)
    {
        lock (_sync)
        {
            _closed = true;
            _consistency.Abort(new RpcException(status));
            PulseLocked();
        }
    }

    private double CurrentLearningRateLocked() => _learningRateOverride ?? _schedule.GetLearningRate(_version);

    private long AdvanceVersionLocked()
    {
        _version++;
        _versionTimestamps.Enqueue(_time.GetTimestamp());
        while (_versionTimestamps.Count > 64)
        {
            _versionTimestamps.Dequeue();
        }

        return _version;
    }

    /// <summary>Wakes every waiter (pulls, subscribers, staleness waits) to re-check its condition.</summary>
    private void PulseLocked()
    {
        TaskCompletionSource changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Keeps up to `cap` idle buffers but no more than about 256 MiB of them, and always at least two.
    private static int RetainedBuffers(int bufferBytes, int cap) =>
        Math.Clamp((int)((256L << 20) / Math.Max(1, bufferBytes)), 2, cap);

    private Span<byte> WeightBytes => MemoryMarshal.AsBytes(_weights.AsSpan());

    private sealed record EvaluationRecord(long Version, double Loss, double Accuracy, long Samples);
}
