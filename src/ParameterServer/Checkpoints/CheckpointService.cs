using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Decides when the shard's jobs are checkpointed and restores them at start-up: every
/// <see cref="CheckpointOptions.CheckpointEverySteps"/> versions, every
/// <see cref="CheckpointOptions.CheckpointEverySeconds"/> seconds for jobs whose version changed, on an operator's
/// request and when the host stops. Each job's writes are serialized; capture copies the state under the job's lock
/// and the file is written outside it, so training continues while a checkpoint is written.
/// </summary>
public sealed class CheckpointService
{
    private readonly CheckpointOptions _options;
    private readonly ICheckpointTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, JobCheckpointState> _jobs = new(StringComparer.Ordinal);

    public CheckpointService(
        CheckpointOptions options,
        int shardIndex,
        int shardCount,
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
        ShardIndex = shardIndex;
        if (options.Enabled)
        {
            Store = new CheckpointStore(
                options.CheckpointDirectory!, shardIndex, shardCount, options.CheckpointKeep,
                loggerFactory.CreateLogger<CheckpointStore>());
        }
    }

    public int ShardIndex { get; }

    /// <summary>False when no checkpoint directory is configured; every operation then reports that.</summary>
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
    /// job. An <see cref="CheckpointReason.Interval"/> checkpoint of a version already written returns the existing one.
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
            "Checkpoints are off on this shard; set Shard:CheckpointDirectory to enable them.");
        JobCheckpointState state = StateOf(jobId);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long? version = _target.GetVersion(jobId);
            if (version is null)
            {
                return null;
            }

            if (reason == CheckpointReason.Interval && state.HasCheckpoint && state.LastVersion == version)
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
                throw;
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
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Already logged by CheckpointAsync; the other jobs still get their checkpoint.
            }
        }

        return results;
    }

    /// <summary>
    /// Tells the service that <paramref name="jobId"/> reached <paramref name="version"/>. When the version is a
    /// multiple of <see cref="CheckpointOptions.CheckpointEverySteps"/>, a checkpoint is queued in the background;
    /// the call itself never blocks or throws, so the shard may call it on its update path.
    /// </summary>
    public void OnVersionAdvanced(string jobId, long version)
    {
        long every = _options.CheckpointEverySteps;
        if (Store is null || every <= 0 || version <= 0 || version % every != 0)
        {
            return;
        }

        JobCheckpointState state = StateOf(jobId);
        if (Interlocked.Exchange(ref state.StepCheckpointPending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await CheckpointAsync(jobId, CheckpointReason.Steps).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Logged by CheckpointAsync; the next multiple of the step interval tries again.
            }
            finally
            {
                Volatile.Write(ref state.StepCheckpointPending, 0);
            }
        });
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

        TimeSpan period = TimeSpan.FromSeconds(_options.CheckpointEverySeconds);
        using var timer = new PeriodicTimer(period, _time);
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

    /// <summary>Returns the checkpoint part of a job's status.</summary>
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

    /// <summary>Restore outcome of a job: the version it restored at, or null when it started fresh.</summary>
    public long? RestoredVersionOf(string jobId) =>
        _jobs.TryGetValue(jobId, out JobCheckpointState? state) && state.Restored ? state.RestoredVersion : null;

    private JobCheckpointState StateOf(string jobId) => _jobs.GetOrAdd(jobId, static _ => new JobCheckpointState());

    private static void Record(JobCheckpointState state, ShardCheckpoint checkpoint, string path, bool countWrite)
    {
        Debug.Assert(path.Length > 0, "A recorded checkpoint has a path.");
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
