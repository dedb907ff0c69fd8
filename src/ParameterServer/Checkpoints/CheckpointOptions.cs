namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Checkpoint settings, bound from the "Shard" configuration section (environment variables
/// Shard__CheckpointDirectory and so on). Checkpoints are written only when <see cref="CheckpointDirectory"/> is set.
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Shard";

    /// <summary>
    /// Root directory of the checkpoints; each job and shard gets a subdirectory. Default null: checkpoints are off
    /// and the shard keeps its state in memory only.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Write a checkpoint whenever the version reaches a multiple of this many steps; 0 (default) disables
    /// step-based checkpoints.</summary>
    public long CheckpointEverySteps { get; set; }

    /// <summary>Write a checkpoint of every job whose version changed at most this many seconds after the previous
    /// one; 0 disables time-based checkpoints. Default 60 seconds.</summary>
    public double CheckpointEverySeconds { get; set; } = 60;

    /// <summary>Checkpoints kept per job and shard; older ones are deleted after each write. Default 3, minimum 1.</summary>
    public int CheckpointKeep { get; set; } = 3;

    /// <summary>True when a checkpoint directory is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CheckpointDirectory);
}
