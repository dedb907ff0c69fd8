using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Checkpoint files of one shard under a root directory, laid out by <see cref="CheckpointPaths"/>. Writes are atomic
/// (temporary file, flush to disk, rename, directory flush) and keep the newest <see cref="Keep"/> files per job.
/// Loads return the newest file that verifies; a file that fails verification is renamed with the
/// <see cref="QuarantineSuffix"/> so it is never considered again, and the failure is logged.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>Suffix appended to a checkpoint that failed verification.</summary>
    public const string QuarantineSuffix = ".corrupt";

    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, object> _jobLocks = new(StringComparer.Ordinal);

    public CheckpointStore(string root, int shardIndex, int shardCount, int keep, ILogger<CheckpointStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentNullException.ThrowIfNull(logger);
        Root = Path.GetFullPath(root);
        ShardIndex = shardIndex;
        ShardCount = shardCount;
        Keep = keep;
        _logger = logger;
    }

    public string Root { get; }

    public int ShardIndex { get; }

    public int ShardCount { get; }

    /// <summary>Checkpoints kept per job after each write.</summary>
    public int Keep { get; }

    /// <summary>Wraps the file stream of each write; tests use it to inject failures.</summary>
    internal Func<Stream, Stream> StreamDecorator { get; set; } = static stream => stream;

    /// <summary>Returns the directory holding this shard's checkpoints of <paramref name="jobId"/>.</summary>
    public string DirectoryOf(string jobId) => CheckpointPaths.ShardDirectory(Root, jobId, ShardIndex, ShardCount);

    /// <summary>Lists this shard's checkpoint files of <paramref name="jobId"/>, newest first.</summary>
    public IReadOnlyList<CheckpointFileInfo> List(string jobId) => CheckpointCatalog.List(DirectoryOf(jobId));

    /// <summary>Writes <paramref name="checkpoint"/> atomically, then deletes all but the newest <see cref="Keep"/>.</summary>
    /// <exception cref="ArgumentException">The checkpoint belongs to another shard or is inconsistent.</exception>
    /// <exception cref="IOException">The write failed; the previous checkpoints are untouched.</exception>
    public CheckpointWriteResult Write(ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ShardIndex != ShardIndex || checkpoint.ShardCount != ShardCount)
        {
            throw new ArgumentException(
                $"the checkpoint is of shard {checkpoint.ShardIndex} of {checkpoint.ShardCount}; this store holds shard "
                + $"{ShardIndex} of {ShardCount}.", nameof(checkpoint));
        }

        string directory = DirectoryOf(checkpoint.JobId);
        string path = Path.Combine(directory, CheckpointPaths.FileName(checkpoint.Version));
        lock (_jobLocks.GetOrAdd(checkpoint.JobId, static _ => new object()))
        {
            long bytes = AtomicFile.Write(path, stream => CheckpointFile.Write(stream, checkpoint), StreamDecorator);
            DeleteBeyondKeep(directory);
            return new CheckpointWriteResult(path, checkpoint.Version, bytes);
        }
    }

    /// <summary>
    /// Returns the newest checkpoint of <paramref name="jobId"/> that verifies and belongs to this shard, or null.
    /// Files that fail are logged and quarantined.
    /// </summary>
    public ShardCheckpoint? LoadNewest(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return LoadNewestFrom(DirectoryOf(jobId), jobId);
    }

    /// <summary>
    /// Loads the newest valid checkpoint of every job that has a directory for this shard, removing temporary files
    /// left by interrupted writes. Directories for other shard counts are ignored.
    /// </summary>
    public IReadOnlyList<ShardCheckpoint> LoadAll()
    {
        var loaded = new List<ShardCheckpoint>();
        if (!Directory.Exists(Root))
        {
            return loaded;
        }

        string shardDirectoryName = CheckpointPaths.ShardDirectoryName(ShardIndex, ShardCount);
        IEnumerable<string> jobDirectories;
        try
        {
            jobDirectories = Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.ScanFailed(Root, ex);
            return loaded;
        }

        foreach (string jobDirectory in jobDirectories)
        {
            string directory = Path.Combine(jobDirectory, shardDirectoryName);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            RemoveTemporaryFiles(directory);
            ShardCheckpoint? checkpoint = LoadNewestFrom(directory, expectedJobId: null);
            if (checkpoint is not null)
            {
                loaded.Add(checkpoint);
            }
        }

        return loaded;
    }

    private ShardCheckpoint? LoadNewestFrom(string directory, string? expectedJobId)
    {
        string escapedName = Path.GetFileName(Path.GetDirectoryName(directory))!;
        return CheckpointCatalog.ReadNewestValid(
            directory,
            onRejected: Reject,
            validate: checkpoint =>
            {
                if (checkpoint.ShardIndex != ShardIndex || checkpoint.ShardCount != ShardCount)
                {
                    return $"it holds shard {checkpoint.ShardIndex} of {checkpoint.ShardCount}; expected shard "
                        + $"{ShardIndex} of {ShardCount}.";
                }

                if ((expectedJobId is not null && checkpoint.JobId != expectedJobId)
                    || CheckpointPaths.EscapeJobId(checkpoint.JobId) != escapedName)
                {
                    return $"it holds job '{checkpoint.JobId}', which does not belong in directory '{escapedName}'.";
                }

                return null;
            });
    }

    private void Reject(CheckpointFileInfo file, IOException exception)
    {
        if (exception is not CheckpointFormatException format)
        {
            _logger.ReadFailed(file.Path, exception);
            return;
        }

        string quarantine = file.Path + QuarantineSuffix;
        try
        {
            File.Move(file.Path, quarantine, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            quarantine = "(moving it failed: " + ex.Message + ")";
        }

        _logger.CheckpointRejected(file.Path, ShardIndex, format.Error, format.Message, quarantine);
    }

    private void DeleteBeyondKeep(string directory)
    {
        IReadOnlyList<CheckpointFileInfo> files = CheckpointCatalog.List(directory);
        for (int i = Keep; i < files.Count; i++)
        {
            try
            {
                File.Delete(files[i].Path);
                _logger.CheckpointDeleted(files[i].Path, Keep);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.DeleteFailed(files[i].Path, ex);
            }
        }
    }

    private void RemoveTemporaryFiles(string directory)
    {
        foreach (string path in Directory.EnumerateFiles(directory, "*" + AtomicFile.TemporaryMarker + "*"))
        {
            try
            {
                File.Delete(path);
                _logger.TemporaryFileRemoved(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.DeleteFailed(path, ex);
            }
        }
    }
}
