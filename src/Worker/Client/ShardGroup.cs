using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Worker.Client;

/// <summary>
/// A worker's membership in one job across all shards: registration (the coordinator, shard 0, first, then the
/// others with the id it assigned), the per-shard step and version, heartbeats, re-registration after a shard
/// forgot the worker, and deregistration.
/// </summary>
/// <remarks>
/// Steps and versions are kept per shard, because a shard that restarted without state starts its job again at
/// version 0 while the others go on. When a shard does not know the job at registration, the worker creates it
/// there from its copy of the spec (the coordinator's, or the one it was started with), so a restarted stateless shard
/// can serve again; the new job starts from its initializers.
/// </remarks>
public sealed class ShardGroup : IDisposable
{
    private readonly ShardClient[] _shards;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly long[] _nextStep;
    private readonly long[] _version;
    private readonly bool[] _heartbeatFailing;
    private readonly SemaphoreSlim _registration = new(1, 1);
    private JobSpec? _job;
    private ModelLayout? _layout;
    private ShardRange[] _ranges = [];

    public ShardGroup(
        IReadOnlyList<ShardClient> shards,
        string jobId,
        string workerName,
        bool evaluator,
        JobSpec? initialJob,
        ILogger logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfZero(shards.Count);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        _shards = shards.ToArray();
        JobId = jobId;
        WorkerName = workerName;
        IsEvaluator = evaluator;
        _job = initialJob;
        _logger = logger;
        _timeProvider = timeProvider;
        _nextStep = new long[_shards.Length];
        _version = new long[_shards.Length];
        _heartbeatFailing = new bool[_shards.Length];
    }

    public IReadOnlyList<ShardClient> Shards => _shards;

    public int Count => _shards.Length;

    public string JobId { get; }

    public string WorkerName { get; }

    public bool IsEvaluator { get; }

    /// <summary>The job spec the coordinator returned at the last registration.</summary>
    public JobSpec Job => _job ?? throw new InvalidOperationException("The worker has not registered yet.");

    public ModelLayout Layout => _layout ?? throw new InvalidOperationException("The worker has not registered yet.");

    /// <summary>Id the coordinator assigned; 0 before registration.</summary>
    public uint WorkerId { get; private set; }

    /// <summary>Range of the flat parameter vector that each shard owns, in shard order.</summary>
    public IReadOnlyList<ShardRange> Ranges => _ranges;

    /// <summary>Data assignment the coordinator returned at the last registration.</summary>
    public DataAssignment? Assignment { get; private set; }

    /// <summary>Heartbeat interval the coordinator returned; 1 s when it returned none.</summary>
    public TimeSpan HeartbeatInterval { get; private set; } = TimeSpan.FromSeconds(1);

    /// <summary>Number of registrations after a shard forgot the worker.</summary>
    public int Rejoins { get; private set; }

    /// <summary>The worker step to push next to <paramref name="shard"/>.</summary>
    public long NextStep(int shard) => Volatile.Read(ref _nextStep[shard]);

    public void SetNextStep(int shard, long step) => Volatile.Write(ref _nextStep[shard], step);

    /// <summary>Version of the weights of <paramref name="shard"/> that the worker holds.</summary>
    public long Version(int shard) => Volatile.Read(ref _version[shard]);

    public void SetVersion(int shard, long version) => Volatile.Write(ref _version[shard], version);

    /// <summary>Registers with the coordinator, then with every other shard in parallel.</summary>
    /// <exception cref="JobRejectedException">A shard rejected the registration or the shards disagree.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await _registration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RegisterEverywhereAsync(0, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _registration.Release();
        }
    }

    /// <summary>
    /// Registers again with <paramref name="shard"/> after it returned NotFound or FailedPrecondition. When the
    /// coordinator forgot the worker, the worker requests its current id again and registers with every shard,
    /// and a different id replaces the old one everywhere.
    /// </summary>
    public async Task RejoinAsync(int shard, CancellationToken cancellationToken)
    {
        await _registration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Rejoins++;
            if (shard == 0)
            {
                uint previous = WorkerId;
                await RegisterEverywhereAsync(previous, cancellationToken).ConfigureAwait(false);
                if (WorkerId != previous)
                {
                    ClientLog.WorkerIdChanged(_logger, WorkerId, JobId, previous);
                    await DeregisterAsync(previous, Enumerable.Range(1, Count - 1), cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            else
            {
                Apply(shard, await RegisterWithAsync(shard, WorkerId, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _registration.Release();
        }
    }

    /// <summary>Pulls every shard's current weights into <paramref name="weights"/>, the full flat vector.</summary>
    public Task PullAllAsync(Memory<float> weights, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Count).Select(s => PullAsync(s, weights, 0, cancellationToken)));

    /// <summary>Pulls the weights of <paramref name="shard"/> of at least <paramref name="minVersion"/>.</summary>
    public async Task<WeightsHeader> PullAsync(
        int shard,
        Memory<float> weights,
        long minVersion,
        CancellationToken cancellationToken)
    {
        ShardRange range = _ranges[shard];
        var request = new PullRequest
        {
            JobId = JobId,
            WorkerId = IsEvaluator ? 0 : WorkerId,
            MinVersion = minVersion,
            WorkerStep = IsEvaluator ? 0 : NextStep(shard),
        };
        WeightsHeader header = await _shards[shard]
            .PullAsync(request, range, weights.Slice((int)range.Start, (int)range.Length), cancellationToken)
            .ConfigureAwait(false);
        SetVersion(shard, header.Version);
        ClientLog.Pulled(_logger, JobId, shard, header.Version, header.Length);
        return header;
    }

    /// <summary>Sends heartbeats to every shard at <see cref="HeartbeatInterval"/> until cancelled.</summary>
    public async Task RunHeartbeatsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.WhenAll(Enumerable.Range(0, Count).Select(s => HeartbeatAsync(s, cancellationToken)))
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deregisters from every shard, logging failures; it gives up after <paramref name="timeout"/>.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        if (WorkerId == 0)
        {
            return;
        }

        using var cts = new CancellationTokenSource(timeout, _timeProvider);
        await DeregisterAsync(WorkerId, Enumerable.Range(0, Count), cts.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (ShardClient shard in _shards)
        {
            shard.Dispose();
        }

        _registration.Dispose();
    }

    private async Task RegisterEverywhereAsync(uint requestedId, CancellationToken cancellationToken)
    {
        RegisterResponse coordinator;
        try
        {
            coordinator = await RegisterWithAsync(0, requestedId, cancellationToken).ConfigureAwait(false);
        }
        catch (JobRejectedException) when (requestedId != 0)
        {
            // A coordinator that does not accept the old id assigns a new one.
            coordinator = await RegisterWithAsync(0, 0, cancellationToken).ConfigureAwait(false);
        }

        AdoptJob(coordinator);
        WorkerId = coordinator.WorkerId;
        Assignment = coordinator.Assignment;
        if (coordinator.HeartbeatIntervalMs > 0)
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(coordinator.HeartbeatIntervalMs);
        }

        Apply(0, coordinator);
        await Task.WhenAll(Enumerable.Range(1, Count - 1).Select(async s =>
            Apply(s, await RegisterWithAsync(s, WorkerId, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);
    }

    private async Task<RegisterResponse> RegisterWithAsync(int shard, uint workerId, CancellationToken cancellationToken)
    {
        var request = new RegisterRequest
        {
            JobId = JobId,
            WorkerId = workerId,
            WorkerName = WorkerName,
            Evaluator = IsEvaluator,
        };
        try
        {
            return await _shards[shard].RegisterAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && _job is not null)
        {
            ClientLog.CreatingJob(_logger, shard, JobId);
            await CreateJobAsync(shard, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!TransientFaults.IsTransient(e))
        {
            throw Rejected(shard, workerId, e);
        }

        try
        {
            return await _shards[shard].RegisterAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!TransientFaults.IsTransient(e))
        {
            throw Rejected(shard, workerId, e);
        }
    }

    private async Task CreateJobAsync(int shard, CancellationToken cancellationToken)
    {
        try
        {
            await _shards[shard].CreateJobAsync(_job!, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!TransientFaults.IsTransient(e))
        {
            throw new JobRejectedException(
                $"Shard {shard} rejected creating job '{JobId}' from this worker's copy of the spec: " +
                $"{e.StatusCode}: {e.Status.Detail}",
                e);
        }
    }

    private JobRejectedException Rejected(int shard, uint workerId, RpcException e) => new(
        $"Shard {shard} at {_shards[shard].Endpoint} rejected registering worker {workerId} ('{WorkerName}') " +
        $"in job '{JobId}': {e.StatusCode}: {e.Status.Detail}",
        e);

    private void AdoptJob(RegisterResponse coordinator)
    {
        JobSpec job = coordinator.Job ?? throw new JobRejectedException(
            $"Shard 0 registered the worker in job '{JobId}' but returned no job spec.");
        if (job.JobId != JobId)
        {
            throw new JobRejectedException($"Shard 0 returned job '{job.JobId}'; expected '{JobId}'.");
        }

        if (job.NumShards != 0 && job.NumShards != Count)
        {
            throw new JobRejectedException(
                $"Job '{JobId}' is split over {job.NumShards} shards, but the worker is configured with {Count}.");
        }

        ModelLayout layout;
        try
        {
            layout = ModelLayout.Create(job.Model);
        }
        catch (ArgumentException e)
        {
            throw new JobRejectedException($"Job '{JobId}' has an invalid model: {e.Message}");
        }

        _job = job;
        _layout = layout;
        _ranges = RangePartitioner.Partition(layout, Count);
    }

    private void Apply(int shard, RegisterResponse response)
    {
        if (response.ShardIndex != shard || (response.NumShards != 0 && response.NumShards != Count))
        {
            throw new JobRejectedException(
                $"The shard at {_shards[shard].Endpoint} is shard {response.ShardIndex} of {response.NumShards}; " +
                $"the worker expects shard {shard} of {Count}. List Worker:Shards in shard-index order.");
        }

        ShardRange expected = _ranges[shard];
        if (response.RangeStart != expected.Start || response.RangeLength != expected.Length)
        {
            throw new JobRejectedException(
                $"Shard {shard} owns [{response.RangeStart}, {response.RangeStart + response.RangeLength}); " +
                $"the partition of {Layout.TotalElements} elements over {Count} shards gives it {expected}.");
        }

        SetNextStep(shard, response.NextStep);
        SetVersion(shard, response.Version);
        ClientLog.Registered(
            _logger,
            response.WorkerId,
            WorkerName,
            JobId,
            shard,
            response.RangeStart,
            response.RangeLength,
            response.Version,
            response.NextStep);
    }

    private async Task HeartbeatAsync(int shard, CancellationToken cancellationToken)
    {
        long step = NextStep(shard);
        try
        {
            await _shards[shard]
                .HeartbeatAsync(new HeartbeatRequest { JobId = JobId, WorkerId = WorkerId, WorkerStep = step }, cancellationToken)
                .ConfigureAwait(false);
            if (_heartbeatFailing[shard])
            {
                _heartbeatFailing[shard] = false;
                ClientLog.HeartbeatRecovered(_logger, WorkerId, JobId, shard, step);
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged once per run of failures; the training loop handles a shard that is down or forgot the worker.
            if (!_heartbeatFailing[shard])
            {
                _heartbeatFailing[shard] = true;
                ClientLog.HeartbeatFailed(_logger, WorkerId, JobId, shard, step, e);
            }
        }
    }

    private async Task DeregisterAsync(uint workerId, IEnumerable<int> shards, CancellationToken cancellationToken)
    {
        await Task.WhenAll(shards.Select(async s =>
        {
            try
            {
                await _shards[s].DeregisterAsync(new DeregisterRequest { JobId = JobId, WorkerId = workerId }, cancellationToken)
                    .ConfigureAwait(false);
                ClientLog.Deregistered(_logger, workerId, JobId, s);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                ClientLog.DeregisterFailed(_logger, workerId, JobId, s, e);
            }
        })).ConfigureAwait(false);
    }
}
