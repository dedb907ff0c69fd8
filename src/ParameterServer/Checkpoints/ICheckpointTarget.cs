using ParamServer.Checkpoints;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// The shard state the checkpoint service saves and restores: implemented by the shard's job registry.
/// </summary>
public interface ICheckpointTarget
{
    /// <summary>Ids of the jobs the shard currently holds.</summary>
    IReadOnlyCollection<string> JobIds { get; }

    /// <summary>Current version of a job, or null when the shard does not hold it.</summary>
    long? GetVersion(string jobId);

    /// <summary>
    /// Copies a job's complete state at one version, taken atomically with respect to updates, or returns null when
    /// the shard does not hold the job. The returned arrays are copies the caller owns.
    /// </summary>
    ShardCheckpoint? Capture(string jobId);

    /// <summary>
    /// Completes once the job's version reaches <paramref name="version"/>; fails when the job is closed or replaced.
    /// </summary>
    Task WaitForVersionAsync(string jobId, long version, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a job from a checkpoint; called at start-up before the shard serves requests.</summary>
    /// <exception cref="ArgumentException">The checkpoint does not fit this shard (index, count, range, optimizer buffers).</exception>
    void Restore(ShardCheckpoint checkpoint);
}
