using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Consistency;

/// <summary>
/// Bulk synchronous steps. Step k is gathered while the version is k. It is applied once no live training worker
/// still owes step k (each has pushed it or starts later). Step 0 of the job also waits for min_workers pushes, so
/// workers started together begin together. Later steps, also those after a restore, never wait for
/// more workers than are live, so an evicted worker cannot stall the job. The gradients are
/// summed in worker-id order and divided by the number of contributors, so the update does not depend on arrival
/// order, and the version becomes k + 1. An empty push takes part in the step without contributing; a step whose
/// pushes are all empty advances the version without an update.
/// </summary>
internal sealed class SynchronousConsistency : IConsistencyStrategy
{
    private readonly IConsistencyContext _context;
    private readonly int _minWorkers;
    private readonly SortedDictionary<uint, PendingPush> _pending = new();

    public SynchronousConsistency(IConsistencyContext context, int minWorkers, ConsistencyMode mode)
    {
        _context = context;
        _minWorkers = Math.Max(1, minWorkers);
        Mode = mode;
    }

    public ConsistencyMode Mode { get; }

    /// <summary>Number of pushes gathered for the current step.</summary>
    public int PendingCount => _pending.Count;

    // A worker joining while a step is being gathered starts with the next one, so the others are not held up,
    // unless the step is still waiting at the start-up gate for more workers.
    public long JoinStep() =>
        _pending.Count == 0 || (_context.Version == 0 && _pending.Count < _minWorkers)
            ? _context.Version
            : _context.Version + 1;

    public RpcException? CheckStep(WorkerMember worker, long step)
    {
        long version = _context.Version;
        if (step < version)
        {
            return ShardErrors.FailedPrecondition(
                $"worker_step is {step} but the shard is gathering step {version}; step {step} was already applied " +
                $"without worker {worker.Id}. Pull version {version} and push step {version}.");
        }

        if (step > version)
        {
            return ShardErrors.FailedPrecondition(
                $"worker_step is {step} but the shard is gathering step {version}; a synchronous worker may not " +
                "push ahead of the current step.");
        }

        return null;
    }

    public Task<PushResult> Accept(PendingPush push)
    {
        _pending[push.Worker.Id] = push;
        TryComplete();
        return push.Completion.Task;
    }

    public bool CanRead(long workerStep) => _context.Version >= workerStep;

    public void OnMembershipChanged() => TryComplete();

    public void Abort(RpcException error)
    {
        foreach (PendingPush push in _pending.Values)
        {
            ReleaseGradient(push);
            push.Completion.TrySetException(error);
        }

        _pending.Clear();
    }

    private void TryComplete()
    {
        if (_pending.Count == 0 || (_context.Version == 0 && _pending.Count < _minWorkers))
        {
            return;
        }

        long step = _context.Version;
        foreach (WorkerMember worker in _context.LiveTrainers)
        {
            if (worker.NextStep <= step)
            {
                return;
            }
        }

        ApplyStep();
    }

    private void ApplyStep()
    {
        Span<float> sum = default;
        int contributors = 0;

        // SortedDictionary enumerates by worker id: the sum is the same left fold whatever the arrival order.
        foreach (PendingPush push in _pending.Values)
        {
            if (push.Gradient is null)
            {
                continue;
            }

            Span<float> gradient = MemoryMarshal.Cast<byte, float>(push.Gradient.AsSpan());
            if (contributors == 0)
            {
                sum = gradient;
            }
            else
            {
                TensorPrimitives.Add(sum, gradient, sum);
            }

            contributors++;
        }

        long version;
        double learningRate = _context.CurrentLearningRate;
        if (contributors == 0)
        {
            version = _context.AdvanceVersion();
        }
        else
        {
            if (contributors > 1)
            {
                TensorPrimitives.Divide(sum, contributors, sum);
            }

            (version, learningRate) = _context.ApplyUpdate(sum, 1.0);
        }

        var result = new PushResult
        {
            Outcome = PushOutcome.Merged,
            Version = version,
            Staleness = 0,
            LearningRate = learningRate,
            Contributors = contributors,
        };
        _context.Counters.AddMerged(_pending.Count);
        foreach (PendingPush push in _pending.Values)
        {
            ReleaseGradient(push);
            push.Completion.TrySetResult(result);
        }

        _pending.Clear();
    }

    /// <summary>
    /// Completes every gathered push with a copy of <paramref name="result"/> without applying it, for a shard that
    /// skips the step being gathered.
    /// </summary>
    public void Supersede(PushResult result)
    {
        foreach (PendingPush push in _pending.Values)
        {
            ReleaseGradient(push);
            push.Completion.TrySetResult(result.Clone());
        }

        _pending.Clear();
    }

    private void ReleaseGradient(PendingPush push)
    {
        if (push.Gradient is { } gradient)
        {
            push.Gradient = null;
            _context.ReturnGradient(gradient);
        }
    }
}
