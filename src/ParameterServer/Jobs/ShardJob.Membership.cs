using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>
    /// Registers a worker. For worker_id 0 the coordinator assigns a new id, or returns the registration of a live
    /// worker with the same non-empty name, so a restarted worker keeps its id and next step. Other shards require
    /// the coordinator's id. A registration that already exists is returned unchanged.
    /// </summary>
    public RegisterResponse Register(RegisterRequest request)
    {
        lock (_sync)
        {
            ThrowIfClosedLocked();
            WorkerMember? worker = FindRegistrationLocked(request);
            bool joined = worker is null;
            if (worker is null)
            {
                if (_workers.Count >= _maxWorkers)
                {
                    throw ShardErrors.ResourceExhausted(
                        $"job '{JobId}' already has {_workers.Count} registered workers, the maximum Shard:MaxWorkers " +
                        $"= {_maxWorkers}; deregister idle workers or raise the limit.");
                }

                uint id = request.WorkerId != 0 ? request.WorkerId : _nextWorkerId++;
                long nextStep = request.Evaluator ? 0 : _consistency.JoinStep();
                worker = new WorkerMember(id, request.WorkerName, request.Evaluator, nextStep, _time.GetTimestamp());
                _workers.Add(id, worker);
                if (!worker.Evaluator)
                {
                    _liveTrainers.Add(worker);
                }

                _nextWorkerId = Math.Max(_nextWorkerId, id + 1);
                AddEventLocked("joined", id, request.Evaluator ? "evaluator" : string.Empty);
                JobLog.WorkerJoined(_logger, JobId, ShardIndex, id, request.WorkerName, nextStep, _version);
            }
            else
            {
                worker.LastSeenTimestamp = _time.GetTimestamp();
            }

            var response = new RegisterResponse
            {
                WorkerId = worker.Id,
                Job = Spec,
                ShardIndex = ShardIndex,
                NumShards = Spec.NumShards,
                RangeStart = Range.Start,
                RangeLength = Range.Length,
                Version = _version,
                NextStep = worker.NextStep,
                HeartbeatIntervalMs = (long)Math.Max(1, HeartbeatTimeout.TotalMilliseconds / 4),
            };

            // Before any epoch is fixed the worker calls GetAssignment, because fixing epoch 0 here would freeze it with
            // only the workers registered so far. Mid-run, a worker outside the newest split gets the next epoch's.
            if (IsCoordinator && !worker.Evaluator && _assignments.NewestEpoch is { } newest)
            {
                DataAssignment assignment = AssignmentLocked(newest, worker.Id);
                response.Assignment = assignment.Rank >= 0 ? assignment : AssignmentLocked(newest + 1, worker.Id);
            }

            if (joined)
            {
                PulseLocked();
            }

            return response;
        }
    }

    /// <summary>Refreshes a worker's liveness and records the step it reports.</summary>
    public HeartbeatResponse Heartbeat(HeartbeatRequest request)
    {
        lock (_sync)
        {
            ThrowIfClosedLocked();
            WorkerMember worker = RegisteredLocked(request.WorkerId);
            worker.LastSeenTimestamp = _time.GetTimestamp();
            worker.LastStep = Math.Max(worker.LastStep, request.WorkerStep);
            return new HeartbeatResponse { Version = _version, LiveWorkers = _liveTrainers.Count };
        }
    }

    /// <summary>Removes a worker that is leaving; pending steps complete without it. Unknown ids are ignored.</summary>
    public void Deregister(uint workerId)
    {
        lock (_sync)
        {
            if (RemoveLocked(workerId, "left", string.Empty))
            {
                JobLog.WorkerLeft(_logger, JobId, ShardIndex, workerId, _version);
            }
        }
    }

    /// <summary>Evicts a worker on an operator's request; returns false when it was not registered.</summary>
    public bool Evict(uint workerId, string reason)
    {
        lock (_sync)
        {
            if (!RemoveLocked(workerId, "evicted", reason))
            {
                return false;
            }

            Counters.AddEviction();
            JobLog.WorkerEvicted(_logger, JobId, ShardIndex, workerId, reason, _version);
            return true;
        }
    }

    /// <summary>
    /// Evicts every worker silent for longer than the heartbeat timeout at <paramref name="nowTimestamp"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/> value); returns how many were evicted.
    /// </summary>
    public int EvictExpired(long nowTimestamp)
    {
        lock (_sync)
        {
            List<uint>? expired = null;
            foreach (WorkerMember worker in _workers.Values)
            {
                if (_time.GetElapsedTime(worker.LastSeenTimestamp, nowTimestamp) > HeartbeatTimeout)
                {
                    (expired ??= []).Add(worker.Id);
                }
            }

            if (expired is null)
            {
                return 0;
            }

            string reason = $"no heartbeat for more than {HeartbeatTimeout.TotalSeconds:0.###} s";
            foreach (uint id in expired)
            {
                RemoveLocked(id, "evicted", reason);
                Counters.AddEviction();
                JobLog.WorkerEvicted(_logger, JobId, ShardIndex, id, reason, _version);
            }

            return expired.Count;
        }
    }

    /// <summary>
    /// Returns the worker's data assignment for an epoch; only the coordinator fixes assignments. The job's first
    /// split waits, within the request's deadline, until min_workers training workers are registered. Later epochs
    /// are split among the workers live at the first request, so losing a worker never blocks them.
    /// </summary>
    public async Task<DataAssignment> GetAssignmentAsync(uint workerId, long epoch, CancellationToken cancellationToken)
    {
        if (!IsCoordinator)
        {
            throw ShardErrors.FailedPrecondition(
                $"shard {ShardIndex} is not the coordinator; data assignments come from shard 0.");
        }

        if (epoch < 0)
        {
            throw ShardErrors.InvalidArgument($"epoch is {epoch}; expected 0 or more.");
        }

        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (_assignments.Contains(epoch)
                    || _assignments.NewestEpoch is not null
                    || _liveTrainers.Count >= Math.Max(1, Spec.Consistency.MinWorkers))
                {
                    return GetAssignment(workerId, epoch);
                }

                RegisteredLocked(workerId).LastSeenTimestamp = _time.GetTimestamp();
                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private DataAssignment GetAssignment(uint workerId, long epoch)
    {
        lock (_sync)
        {
            ThrowIfClosedLocked();
            WorkerMember worker = RegisteredLocked(workerId);
            worker.LastSeenTimestamp = _time.GetTimestamp();
            if (_assignments.OldestEpoch is { } oldest && epoch < oldest && !_assignments.Contains(epoch))
            {
                throw ShardErrors.FailedPrecondition(
                    $"epoch is {epoch} but only epochs from {oldest} are remembered; ask for a current epoch.");
            }

            return AssignmentLocked(epoch, workerId);
        }
    }

    private DataAssignment AssignmentLocked(long epoch, uint workerId) =>
        _assignments.Get(epoch, workerId, () => _liveTrainers.Select(worker => worker.Id).ToArray());

    private WorkerMember? FindRegistrationLocked(RegisterRequest request)
    {
        if (request.WorkerId != 0)
        {
            if (_workers.TryGetValue(request.WorkerId, out WorkerMember? existing))
            {
                return existing;
            }

            if (IsCoordinator && request.WorkerId >= _nextWorkerId)
            {
                throw ShardErrors.InvalidArgument(
                    $"worker_id is {request.WorkerId} but the coordinator never assigned it (next id {_nextWorkerId}); " +
                    "register with worker_id 0 to get an id.");
            }

            return null;
        }

        if (!IsCoordinator)
        {
            throw ShardErrors.InvalidArgument(
                $"worker_id is 0 but shard {ShardIndex} is not the coordinator; register with shard 0 first and pass " +
                "the id it assigned.");
        }

        if (string.IsNullOrEmpty(request.WorkerName))
        {
            return null;
        }

        foreach (WorkerMember worker in _workers.Values)
        {
            if (worker.Name == request.WorkerName && worker.Evaluator == request.Evaluator)
            {
                return worker;
            }
        }

        return null;
    }

    private WorkerMember RegisteredLocked(uint workerId) =>
        _workers.TryGetValue(workerId, out WorkerMember? worker)
            ? worker
            : throw ShardErrors.FailedPrecondition(
                $"worker_id {workerId} is not registered with job '{JobId}' on shard {ShardIndex}; register first " +
                "(it may have been evicted after missing heartbeats).");

    private bool RemoveLocked(uint workerId, string kind, string reason)
    {
        if (!_workers.Remove(workerId, out WorkerMember? worker))
        {
            return false;
        }

        _liveTrainers.Remove(worker);
        AddEventLocked(kind, workerId, reason);
        _consistency.OnMembershipChanged();
        PulseLocked();
        return true;
    }

    private void AddEventLocked(string kind, uint workerId, string reason)
    {
        _recentEvents.Enqueue(new MembershipEvent
        {
            Kind = kind,
            WorkerId = workerId,
            UnixTimeSeconds = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            Reason = reason,
        });
        while (_recentEvents.Count > MaxRecentEvents)
        {
            _recentEvents.Dequeue();
        }
    }
}
