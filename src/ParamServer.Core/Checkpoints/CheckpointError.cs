namespace ParamServer.Checkpoints;

/// <summary>Why a checkpoint file was rejected.</summary>
public enum CheckpointError
{
    /// <summary>The file ends before the length its header declares, or before the header itself.</summary>
    Truncated,

    /// <summary>The first 8 bytes are not the checkpoint magic; the file is not a shard checkpoint.</summary>
    BadMagic,

    /// <summary>The format version or the header flags are ones this reader does not implement.</summary>
    UnsupportedVersion,

    /// <summary>The SHA-256 trailer does not match the header and content: the file was altered or damaged.</summary>
    ChecksumMismatch,

    /// <summary>The checksum matches but the content breaks a rule of the format, such as a missing section.</summary>
    Malformed,
}
