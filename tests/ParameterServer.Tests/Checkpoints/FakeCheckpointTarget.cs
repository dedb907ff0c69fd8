using System.Collections.Concurrent;
using ParamServer.Checkpoints;
using ParamServer.Server.Checkpoints;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>Jobs whose state is a sample checkpoint at a settable version; records what was restored.</summary>
internal sealed class FakeCheckpointTarget(TimeProvider time) : ICheckpointTarget
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public ConcurrentQueue<ShardCheckpoint> Restored { get; } = new();

    public IReadOnlyCollection<string> JobIds => [.. _versions.Keys];

    private readonly object _signalLock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void SetVersion(string jobId, long version)
    {
        _versions[jobId] = version;
        lock (_signalLock)
        {
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task WaitForVersionAsync(string jobId, long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_signalLock)
            {
                if (GetVersion(jobId) >= version)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public long? GetVersion(string jobId) => _versions.TryGetValue(jobId, out long version) ? version : null;

    public ShardCheckpoint? Capture(string jobId)
    {
        if (!_versions.TryGetValue(jobId, out long version))
        {
            return null;
        }

        ShardCheckpoint sample = CheckpointSamples.Checkpoint(version, job: CheckpointSamples.Job(jobId));
        return new ShardCheckpoint
        {
            Job = sample.Job,
            ShardIndex = sample.ShardIndex,
            ShardCount = sample.ShardCount,
            Range = sample.Range,
            Version = sample.Version,
            CreatedAt = time.GetUtcNow(),
            Weights = sample.Weights,
            OptimizerUpdateCount = sample.OptimizerUpdateCount,
            OptimizerBuffers = sample.OptimizerBuffers,
            Schedule = sample.Schedule,
            Deduplication = sample.Deduplication,
        };
    }

    public void Restore(ShardCheckpoint checkpoint)
    {
        Restored.Enqueue(checkpoint);
        _versions[checkpoint.JobId] = checkpoint.Version;
    }
}
