namespace ParamServer.Checkpoints;

/// <summary>A checkpoint file that failed verification; <see cref="Error"/> names the check that failed.</summary>
public sealed class CheckpointFormatException : IOException
{
    public CheckpointFormatException(CheckpointError error, string message, string? path = null)
        : base(path is null ? message : $"Checkpoint '{path}': {message}")
    {
        Error = error;
        Path = path;
    }

    public CheckpointError Error { get; }

    /// <summary>File the checkpoint was read from; null when it was read from a stream.</summary>
    public string? Path { get; }
}
