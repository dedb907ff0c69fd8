namespace ParamServer.Checkpoints;

/// <summary>
/// Finds checkpoints on disk and loads the newest one that verifies. Shards use it at start-up; the export tool uses
/// it to collect one checkpoint per shard of a job.
/// </summary>
public static class CheckpointCatalog
{
    /// <summary>Lists the checkpoint files of a shard directory, newest version first; empty when it does not exist.</summary>
    public static IReadOnlyList<CheckpointFileInfo> List(string shardDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardDirectory);
        if (!Directory.Exists(shardDirectory))
        {
            return [];
        }

        var files = new List<CheckpointFileInfo>();
        foreach (string path in Directory.EnumerateFiles(shardDirectory, "*" + CheckpointFile.Extension))
        {
            if (CheckpointPaths.TryParseVersion(Path.GetFileName(path), out long version))
            {
                files.Add(new CheckpointFileInfo(path, version));
            }
        }

        files.Sort((a, b) => b.Version.CompareTo(a.Version));
        return files;
    }

    /// <summary>
    /// Reads the newest checkpoint of <paramref name="shardDirectory"/> that verifies. Every file that fails is
    /// reported to <paramref name="onRejected"/> with the reason and skipped; null when none verifies.
    /// </summary>
    public static ShardCheckpoint? ReadNewestValid(
        string shardDirectory,
        Action<CheckpointFileInfo, IOException>? onRejected = null,
        Func<ShardCheckpoint, string?>? validate = null)
    {
        foreach (CheckpointFileInfo file in List(shardDirectory))
        {
            ShardCheckpoint checkpoint;
            try
            {
                checkpoint = CheckpointFile.Read(file.Path);
            }
            catch (IOException ex)
            {
                onRejected?.Invoke(file, ex);
                continue;
            }

            string? problem = validate?.Invoke(checkpoint)
                ?? (checkpoint.Version == file.Version
                    ? null
                    : $"the file name says version {file.Version} but the content holds version {checkpoint.Version}.");
            if (problem is not null)
            {
                onRejected?.Invoke(file, new CheckpointFormatException(CheckpointError.Malformed, problem, file.Path));
                continue;
            }

            return checkpoint;
        }

        return null;
    }

    /// <summary>Lists the shard counts that have checkpoint directories for <paramref name="jobId"/>, ascending.</summary>
    public static IReadOnlyList<int> ShardCounts(string root, string jobId)
    {
        string jobDirectory = CheckpointPaths.JobDirectory(root, jobId);
        if (!Directory.Exists(jobDirectory))
        {
            return [];
        }

        var counts = new SortedSet<int>();
        foreach (string directory in Directory.EnumerateDirectories(jobDirectory))
        {
            if (CheckpointPaths.TryParseShardDirectory(Path.GetFileName(directory), out _, out int count))
            {
                counts.Add(count);
            }
        }

        return [.. counts];
    }

    /// <summary>
    /// Loads one verified checkpoint per shard of <paramref name="jobId"/>: the newest version that every shard has
    /// and that verifies on every shard. With <paramref name="allowMixedVersions"/>, when no version is common, the
    /// newest valid checkpoint of each shard is taken instead.
    /// </summary>
    /// <param name="shardCount">Shard count of the cluster; null takes the only count on disk.</param>
    /// <exception cref="InvalidOperationException">No checkpoints, several shard counts, a shard without a valid
    /// checkpoint, or no common version; the message says which.</exception>
    public static IReadOnlyList<ShardCheckpoint> LoadJob(
        string root,
        string jobId,
        int? shardCount = null,
        bool allowMixedVersions = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        int count = shardCount ?? SingleShardCount(root, jobId);
        var files = new List<IReadOnlyList<CheckpointFileInfo>>(count);
        for (int shard = 0; shard < count; shard++)
        {
            IReadOnlyList<CheckpointFileInfo> listed = List(CheckpointPaths.ShardDirectory(root, jobId, shard, count));
            if (listed.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Shard {shard} of {count} of job '{jobId}' has no checkpoint under '{root}'.");
            }

            files.Add(listed);
        }

        IEnumerable<long> common = files
            .Select(list => list.Select(f => f.Version))
            .Aggregate((a, b) => a.Intersect(b))
            .OrderDescending();
        foreach (long version in common)
        {
            var loaded = new List<ShardCheckpoint>(count);
            foreach (IReadOnlyList<CheckpointFileInfo> list in files)
            {
                CheckpointFileInfo file = list.First(f => f.Version == version);
                try
                {
                    loaded.Add(CheckpointFile.Read(file.Path));
                }
                catch (IOException)
                {
                    break;
                }
            }

            if (loaded.Count == count)
            {
                return loaded;
            }
        }

        if (!allowMixedVersions)
        {
            throw new InvalidOperationException(
                $"The {count} shards of job '{jobId}' have no checkpoint version in common that verifies on all of "
                + "them; allow mixed versions to export the newest checkpoint of each shard.");
        }

        var newest = new List<ShardCheckpoint>(count);
        for (int shard = 0; shard < count; shard++)
        {
            newest.Add(ReadNewestValid(CheckpointPaths.ShardDirectory(root, jobId, shard, count))
                ?? throw new InvalidOperationException(
                    $"Shard {shard} of {count} of job '{jobId}' has no checkpoint that verifies."));
        }

        return newest;
    }

    private static int SingleShardCount(string root, string jobId)
    {
        IReadOnlyList<int> counts = ShardCounts(root, jobId);
        return counts.Count switch
        {
            0 => throw new InvalidOperationException($"Job '{jobId}' has no checkpoints under '{root}'."),
            1 => counts[0],
            _ => throw new InvalidOperationException(
                $"Job '{jobId}' has checkpoints for shard counts {string.Join(", ", counts)} under '{root}'; "
                + "name the shard count to export."),
        };
    }
}
