using ParamServer.Server.Membership;
using ParamServer.Server.Optimizers;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>
    /// Copies the job's full state at one instant, with no update in between; the arrays returned are copies. A
    /// worker whose latest push is still pending in a synchronous step is recorded as not having made that push.
    /// </summary>
    public ShardJobState CaptureState()
    {
        lock (_sync)
        {
            var workers = new List<WorkerState>(_workers.Count);
            foreach (WorkerMember worker in _workers.Values.OrderBy(worker => worker.Id))
            {
                var ledger = worker.Ledger.CompletedEntries()
                    .Select(entry => new LedgerEntry(entry.Step, entry.Result.Clone()))
                    .ToList();
                long nextStep = worker.NextStep;
                if (worker.HasPushed && !worker.Ledger.IsCompleted(nextStep - 1))
                {
                    nextStep--;
                }

                workers.Add(new WorkerState(
                    worker.Id, worker.Name, worker.Evaluator, nextStep, worker.HasPushed && ledger.Count > 0,
                    worker.LastStep, ledger));
            }

            var optimizerBuffers = _optimizer.StateBuffers
                .Select(buffer => new OptimizerBuffer(buffer.Name, (float[])buffer.Values.Clone()))
                .ToList();
            EvaluationState? evaluation = _lastEvaluation is { } last
                ? new EvaluationState(last.Version, last.Loss, last.Accuracy, last.Samples)
                : null;

            return new ShardJobState(
                Spec.Clone(),
                ShardIndex,
                _version,
                (float[])_weights.Clone(),
                _optimizer.UpdateCount,
                optimizerBuffers,
                _schedule.CaptureState(),
                _learningRateOverride,
                _nextWorkerId,
                workers,
                _assignments.Capture(),
                evaluation);
        }
    }

    /// <summary>
    /// Replaces this job's state with <paramref name="state"/>, for a job just built from the same spec and not yet
    /// serving. Restored workers count as seen now, so they get a full heartbeat timeout to come back.
    /// </summary>
    /// <exception cref="ArgumentException">The state belongs to another job, shard or slice length.</exception>
    public void RestoreState(ShardJobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Spec.Equals(Spec) || state.ShardIndex != ShardIndex)
        {
            throw new ArgumentException(
                $"State of job '{state.Spec.JobId}' shard {state.ShardIndex} does not match job '{JobId}' shard " +
                $"{ShardIndex} with this spec.", nameof(state));
        }

        if (state.Weights.Length != _weights.Length)
        {
            throw new ArgumentException(
                $"State holds {state.Weights.Length} weights; shard {ShardIndex} of job '{JobId}' owns {_weights.Length}.",
                nameof(state));
        }

        lock (_sync)
        {
            state.Weights.CopyTo(_weights, 0);
            _optimizer.RestoreState(state.OptimizerUpdateCount, state.OptimizerBuffers);
            _schedule.RestoreState(state.Schedule);
            _version = state.Version;
            _learningRateOverride = state.LearningRateOverride;
            _nextWorkerId = state.NextWorkerId;
            _workers.Clear();
            _liveTrainers.Clear();
            long now = _time.GetTimestamp();
            foreach (WorkerState saved in state.Workers)
            {
                var worker = new WorkerMember(saved.Id, saved.Name, saved.Evaluator, saved.NextStep, now)
                {
                    HasPushed = saved.HasPushed,
                    LastStep = saved.LastStep,
                };
                foreach (LedgerEntry entry in saved.Ledger)
                {
                    worker.Ledger.Record(entry.Step, Task.FromResult(entry.Result.Clone()));
                }

                _workers.Add(worker.Id, worker);
                if (!worker.Evaluator)
                {
                    _liveTrainers.Add(worker);
                }
            }

            _assignments.Restore(state.EpochAssignments);
            _lastEvaluation = state.LastEvaluation is { } evaluation
                ? new EvaluationRecord(evaluation.Version, evaluation.Loss, evaluation.Accuracy, evaluation.Samples)
                : null;
            _snapshot?.Release();
            _snapshot = null;
            PulseLocked();
        }
    }

    /// <summary>Completes once the version reaches <paramref name="minVersion"/>, for checkpoint triggers and tests.</summary>
    public async Task WaitForVersionAsync(long minVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (_version >= minVersion)
                {
                    return;
                }

                ThrowIfClosedLocked();
                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes on the next change of the job's state (a push accepted, a version, a membership change), for
    /// tests that wait for a condition without polling on a timer.
    /// </summary>
    public Task WhenChanged()
    {
        lock (_sync)
        {
            return _changed.Task;
        }
    }
}
