using System.Text;
using ParamServer.Checkpoints.Internal;

namespace ParamServer.Checkpoints;

/// <summary>
/// Reads and writes shard checkpoints in the versioned binary format described in docs/checkpoints.md. A file is a
/// 24-byte header (magic, format version, flags, content length), then tagged sections (job, shard, weights,
/// optimizer, schedule, deduplication record, optional membership, epoch assignments and evaluation), then a
/// SHA-256 trailer over header and content.
/// </summary>
public static class CheckpointFile
{
    /// <summary>Format version this library writes and the only one it reads.</summary>
    public const uint FormatVersion = 1;

    /// <summary>File name extension of checkpoint files.</summary>
    public const string Extension = ".psckpt";

    /// <summary>Bytes before the first section: magic (8), version (4), flags (4), content length (8).</summary>
    public const int HeaderBytes = 24;

    /// <summary>Bytes of the SHA-256 trailer.</summary>
    public const int TrailerBytes = 32;

    internal const int ShardSectionBytes = 2 * sizeof(int) + 4 * sizeof(long);

    internal const int ScheduleSectionBytes = 2 * sizeof(double) + 3 * sizeof(long) + 1 + sizeof(double);

    internal const int EvaluationSectionBytes = 2 * sizeof(long) + 2 * sizeof(double);

    private static readonly byte[] MagicBytes = [.. Encoding.ASCII.GetBytes("PSCKPT"), 0x0D, 0x0A];

    /// <summary>The 8 bytes every checkpoint starts with: ASCII "PSCKPT" then CR LF, so text-mode copies that rewrite
    /// line endings are caught by the magic check.</summary>
    public static ReadOnlySpan<byte> Magic => MagicBytes;

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The checkpoint is inconsistent; the message names the field.</exception>
    public static long Write(Stream destination, ShardCheckpoint checkpoint) => CheckpointWriter.Write(destination, checkpoint);

    /// <summary>
    /// Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: a reader sees the previous file or
    /// the complete new one, never a partial file. Returns the bytes written.
    /// </summary>
    public static long WriteFile(string path, ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return AtomicFile.Write(path, stream => Write(stream, checkpoint));
    }

    /// <summary>Reads and verifies the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file is truncated, not a checkpoint, of an unsupported version,
    /// damaged or malformed; <see cref="CheckpointFormatException.Error"/> names the check that failed.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static ShardCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return CheckpointReader.Read(stream, path);
    }

    /// <summary>
    /// Reads and verifies a checkpoint from the current position of <paramref name="source"/> to its end. A stream
    /// that cannot seek is buffered in memory first, because the checksum is verified before parsing.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The content fails verification.</exception>
    public static ShardCheckpoint Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.CanSeek)
        {
            return CheckpointReader.Read(source, path: null);
        }

        using var buffered = new MemoryStream();
        source.CopyTo(buffered);
        buffered.Position = 0;
        return CheckpointReader.Read(buffered, path: null);
    }
}
