namespace ParamServer.Server.Checkpoints;

/// <summary>What triggered a checkpoint; logged with it.</summary>
public enum CheckpointReason
{
    /// <summary>The version reached a multiple of Shard:CheckpointEverySteps.</summary>
    Steps,

    /// <summary>Shard:CheckpointEverySeconds passed since the previous checkpoint.</summary>
    Interval,

    /// <summary>An operator called the Checkpoint RPC or asked for one with Shutdown.</summary>
    Operator,

    /// <summary>The host is stopping (SIGTERM or Ctrl+C).</summary>
    Shutdown,
}
