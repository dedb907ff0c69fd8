namespace ParamServer.Server.Checkpoints;

/// <summary>Checkpoint bookkeeping of one job on this shard, reported in status.</summary>
internal sealed class JobCheckpointState
{
    /// <summary>Serializes writes of the job, so two checkpoints never race on rotation.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool HasCheckpoint { get; set; }

    public long LastVersion { get; set; }

    public DateTimeOffset LastCreatedAt { get; set; }

    public string LastPath { get; set; } = "";

    public long Written { get; set; }

    public bool Restored { get; set; }

    public long RestoredVersion { get; set; }
}
