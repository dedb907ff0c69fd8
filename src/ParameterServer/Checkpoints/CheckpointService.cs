using System.Collections.Concurrent;
using Grpc.Core;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Decides when the shard's jobs are checkpointed and restores them at start-up: whenever a job's version reaches a
/// multiple of Shard:CheckpointEverySteps, every Shard:CheckpointEverySeconds for jobs whose version changed, on an
/// operator's request and when the host stops. Each job's writes are serialized. The state is copied under the
/// job's lock and the file is written outside it, so training continues while a checkpoint is written.
/// </summary>
public sealed class CheckpointService : ICheckpointService
{
    /// <summary>How often the step trigger looks for jobs created since its last look.</summary>
    internal static readonly TimeSpan JobDiscoveryPeriod = TimeSpan.FromSeconds(1);

    private readonly ShardOptions _options;
    private readonly ICheckpointTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, JobCheckpointState> _jobs = new(StringComparer.Ordinal);

    public CheckpointService(
        ShardOptions options,
        ICheckpointTarget target,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _target = target;
        _time = time;
        _logger = loggerFactory.CreateLogger<CheckpointService>();
        if (!string.IsNullOrWhiteSpace(options.CheckpointDirectory))
        {
            Store = new CheckpointStore(
                options.CheckpointDirectory, options.Index, options.Count, options.CheckpointKeep,
                loggerFactory.CreateLogger<CheckpointStore>());
        }
    }

    public int ShardIndex => _options.Index;

    /// <summary>False when Shard:CheckpointDirectory is not set; nothing is then written or restored.</summary>
    public bool Enabled => Store is not null;

    /// <summary>The store, or null when checkpoints are off.</summary>
    public CheckpointStore? Store { get; }

    /// <summary>
    /// Loads the newest valid checkpoint of every job this shard has on disk and restores it into the shard.
    /// Returns the checkpoints restored; call once at start-up, before requests are served.
    /// </summary>
    public IReadOnlyList<ShardCheckpoint> RestoreAll()
    {
        if (Store is null)
        {
            _logger.CheckpointsDisabled(ShardIndex);
            return [];
        }

        _logger.PolicyStarted(
            ShardIndex, Store.Root, _options.CheckpointEverySteps, _options.CheckpointEverySeconds, _options.CheckpointKeep);
        var restored = new List<ShardCheckpoint>();
        foreach (ShardCheckpoint checkpoint in Store.LoadAll())
        {
            string path = Path.Combine(Store.DirectoryOf(checkpoint.JobId), CheckpointPaths.FileName(checkpoint.Version));
            try
            {
                _target.Restore(checkpoint);
            }
            catch (ArgumentException ex)
            {
                _logger.RestoreFailed(checkpoint.JobId, ShardIndex, path, ex);
                continue;
            }

            JobCheckpointState state = StateOf(checkpoint.JobId);
            state.Restored = true;
            state.RestoredVersion = checkpoint.Version;
            Record(state, checkpoint, path, countWrite: false);
            restored.Add(checkpoint);
            _logger.CheckpointRestored(checkpoint.JobId, ShardIndex, checkpoint.Version, path);
        }

        if (restored.Count == 0)
        {
            _logger.NothingToRestore(ShardIndex, Store.ShardCount, Store.Root);
        }

        return restored;
    }

    /// <summary>
    /// Captures and writes a checkpoint of <paramref name="jobId"/>. Returns null when the shard does not hold the
    /// job, and for <see cref="CheckpointReason.Interval"/> and <see cref="CheckpointReason.Shutdown"/> when the
    /// current version is already written.
    /// </summary>
    /// <exception cref="InvalidOperationException">Checkpoints are off.</exception>
    /// <exception cref="IOException">Writing failed; logged, and the previous checkpoints are kept.</exception>
    public async Task<CheckpointWriteResult?> CheckpointAsync(
        string jobId,
        CheckpointReason reason,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        CheckpointStore store = Store ?? throw new InvalidOperationException(
            $"Checkpoints are off on shard {ShardIndex}; set Shard:CheckpointDirectory to enable them.");
        JobCheckpointState state = StateOf(jobId);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long? version = _target.GetVersion(jobId);
            if (version is null)
            {
                return null;
            }

            bool skipUnchanged = reason is CheckpointReason.Interval or CheckpointReason.Shutdown;
            if (skipUnchanged && state.HasCheckpoint && state.LastVersion == version)
            {
                _logger.CheckpointUnchanged(jobId, version.Value);
                return null;
            }

            ShardCheckpoint? checkpoint = _target.Capture(jobId);
            if (checkpoint is null)
            {
                return null;
            }

            long started = _time.GetTimestamp();
            CheckpointWriteResult result;
            try
            {
                result = await Task.Run(() => store.Write(checkpoint), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.CheckpointFailed(jobId, ShardIndex, reason, ex);
                throw ex as IOException ?? new IOException(ex.Message, ex);
            }

            Record(state, checkpoint, result.Path, countWrite: true);
            _logger.CheckpointWritten(
                jobId, ShardIndex, result.Version, result.Path, result.Bytes,
                (long)_time.GetElapsedTime(started).TotalMilliseconds, reason);
            return result;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Checkpoints every job the shard holds; failures are logged and do not stop the others.</summary>
    public async Task<IReadOnlyList<CheckpointWriteResult>> CheckpointAllAsync(
        CheckpointReason reason,
        CancellationToken cancellationToken = default)
    {
        var results = new List<CheckpointWriteResult>();
        if (Store is null)
        {
            return results;
        }

        IReadOnlyCollection<string> jobIds = _target.JobIds;
        if (reason == CheckpointReason.Shutdown)
        {
            _logger.ShutdownCheckpointStarting(jobIds.Count, ShardIndex);
        }

        foreach (string jobId in jobIds)
        {
            try
            {
                CheckpointWriteResult? result = await CheckpointAsync(jobId, reason, cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    results.Add(result);
                }
            }
            catch (IOException)
            {
                // Already logged by CheckpointAsync; the other jobs still get their checkpoint.
            }
        }

        return results;
    }

    /// <summary>
    /// Writes interval checkpoints until <paramref name="stoppingToken"/> fires; returns at once when interval
    /// checkpoints are off.
    /// </summary>
    public async Task RunIntervalLoopAsync(CancellationToken stoppingToken)
    {
        if (Store is null || _options.CheckpointEverySeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.CheckpointEverySeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckpointAllAsync(CheckpointReason.Interval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Writes a checkpoint whenever a job's version reaches a multiple of Shard:CheckpointEverySteps, until
    /// <paramref name="stoppingToken"/> fires; returns at once when step checkpoints are off. Jobs created later are
    /// picked up within <see cref="JobDiscoveryPeriod"/>.
    /// </summary>
    public async Task RunStepLoopAsync(CancellationToken stoppingToken)
    {
        long every = _options.CheckpointEverySteps;
        if (Store is null || every <= 0)
        {
            return;
        }

        var watchers = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (string jobId in _target.JobIds)
                {
                    if (!watchers.TryGetValue(jobId, out Task? watcher) || watcher.IsCompleted)
                    {
                        watchers[jobId] = WatchStepsAsync(jobId, every, stoppingToken);
                    }
                }

                await Task.Delay(JobDiscoveryPeriod, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(watchers.Values).ConfigureAwait(false);
    }

    /// <summary>Returns the checkpoint part of a job's status; all fields are zero before the first checkpoint.</summary>
    public CheckpointStatus GetStatus(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out JobCheckpointState? state))
        {
            return new CheckpointStatus();
        }

        var status = new CheckpointStatus
        {
            HasCheckpoint = state.HasCheckpoint,
            Restored = state.Restored,
            RestoredVersion = state.RestoredVersion,
            Written = state.Written,
        };
        if (state.HasCheckpoint)
        {
            status.LastVersion = state.LastVersion;
            status.LastPath = state.LastPath;
            status.AgeSeconds = Math.Max(0, (_time.GetUtcNow() - state.LastCreatedAt).TotalSeconds);
        }

        return status;
    }

    async Task<CheckpointResponse> ICheckpointService.CheckpointAsync(string jobId, CancellationToken cancellationToken)
    {
        if (Store is null)
        {
            throw ShardErrors.FailedPrecondition(
                $"checkpoints are off on shard {ShardIndex}; start it with Shard:CheckpointDirectory set.");
        }

        CheckpointWriteResult? result;
        try
        {
            result = await CheckpointAsync(jobId, CheckpointReason.Operator, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new RpcException(new Status(
                StatusCode.Internal,
                $"writing the checkpoint of job '{jobId}' on shard {ShardIndex} failed: {ex.Message}; the previous "
                + "checkpoints are kept."));
        }

        if (result is null)
        {
            throw ShardErrors.UnknownJob(jobId);
        }

        return new CheckpointResponse { Path = result.Path, Version = result.Version, Bytes = result.Bytes };
    }

    CheckpointStatus? ICheckpointService.GetStatus(string jobId) =>
        Store is null && !_jobs.ContainsKey(jobId) ? null : GetStatus(jobId);

    private async Task WatchStepsAsync(string jobId, long every, CancellationToken stoppingToken)
    {
        try
        {
            // Milestones count multiples of the interval already covered; a jump over several writes one checkpoint.
            long milestone = (_target.GetVersion(jobId) ?? throw new OperationCanceledException()) / every;
            while (!stoppingToken.IsCancellationRequested)
            {
                await _target.WaitForVersionAsync(jobId, (milestone + 1) * every, stoppingToken).ConfigureAwait(false);
                long reached = _target.GetVersion(jobId) ?? throw new OperationCanceledException();
                try
                {
                    CheckpointWriteResult? result =
                        await CheckpointAsync(jobId, CheckpointReason.Steps, stoppingToken).ConfigureAwait(false);
                    reached = result?.Version ?? reached;
                }
                catch (IOException)
                {
                    // Logged by CheckpointAsync; the next multiple of the step interval tries again.
                }

                milestone = Math.Max(milestone + 1, reached / every);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or ObjectDisposedException)
        {
            // Stopping, or the job was closed or replaced; discovery starts a watcher for a replacement.
        }
    }

    private JobCheckpointState StateOf(string jobId) => _jobs.GetOrAdd(jobId, static _ => new JobCheckpointState());

    private static void Record(JobCheckpointState state, ShardCheckpoint checkpoint, string path, bool countWrite)
    {
        state.HasCheckpoint = true;
        state.LastVersion = checkpoint.Version;
        state.LastCreatedAt = checkpoint.CreatedAt;
        state.LastPath = path;
        if (countWrite)
        {
            state.Written++;
        }
    }
}
