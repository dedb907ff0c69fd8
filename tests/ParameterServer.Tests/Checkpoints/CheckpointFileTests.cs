using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using ParamServer.Checkpoints;
using ParamServer.Sharding;

namespace ParamServer.Server.Tests.Checkpoints;

public sealed class CheckpointFileTests
{
    [Fact]
    public void RoundTrip_AllFields_Preserved()
    {
        ShardCheckpoint original = CheckpointSamples.Checkpoint();

        ShardCheckpoint read = CheckpointFile.Read(new MemoryStream(Serialize(original)));

        Assert.Equal(original.Job, read.Job);
        Assert.Equal(1, read.ShardIndex);
        Assert.Equal(2, read.ShardCount);
        Assert.Equal(new ShardRange(12, 11), read.Range);
        Assert.Equal(42, read.Version);
        Assert.Equal(original.CreatedAt, read.CreatedAt);
        Assert.Equal(original.Weights, read.Weights);
        Assert.Equal(40, read.OptimizerUpdateCount);
        Assert.Equal(["exp_avg", "exp_avg_sq"], read.OptimizerBuffers.Select(b => b.Name));
        Assert.Equal(original.OptimizerBuffers[0].Values, read.OptimizerBuffers[0].Values);
        Assert.Equal(original.OptimizerBuffers[1].Values, read.OptimizerBuffers[1].Values);
        Assert.Equal(new CheckpointScheduleState(0.25, 0.125, 3, 1, 9), read.Schedule);
        Assert.Equal(0.003, read.LearningRateOverride);
        Assert.Equal(original.Deduplication, read.Deduplication);
        Assert.NotNull(read.Membership);
        Assert.Equal(4u, read.Membership.NextWorkerId);
        Assert.Equal(original.Membership!.Members, read.Membership.Members);
        Assert.Equal([0L, 1L], read.EpochAssignments.Keys.Order());
        Assert.Equal([1u, 2u], read.EpochAssignments[0]);
        Assert.Equal([2u], read.EpochAssignments[1]);
        Assert.Equal(new CheckpointEvaluation(37, 0.31, 0.9125, 10_000), read.LastEvaluation);
    }

    [Fact]
    public void RoundTrip_NoOverrideNoMembership_ReadsNulls()
    {
        ShardCheckpoint original = CheckpointSamples.Checkpoint(membership: false);
        ShardCheckpoint withoutOverride = CopyWith(original, learningRateOverride: null);

        ShardCheckpoint read = CheckpointFile.Read(new MemoryStream(Serialize(withoutOverride)));

        Assert.Null(read.LearningRateOverride);
        Assert.Null(read.Membership);
        Assert.Null(read.LastEvaluation);
        Assert.Empty(read.EpochAssignments);
        Assert.Equal(original.Weights, read.Weights);
    }

    [Fact]
    public void Write_Header_MatchesDocumentedLayout()
    {
        ShardCheckpoint checkpoint = CheckpointSamples.Checkpoint();
        byte[] bytes = Serialize(checkpoint);
        byte[] job = checkpoint.Job.ToByteArray();

        Assert.Equal("PSCKPT\r\n"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal((ulong)(bytes.Length - 24 - 32), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal((ulong)job.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(job, bytes[36..(36 + job.Length)]);
        int shard = 36 + job.Length;
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(shard)));
        Assert.Equal(40ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(shard + 4)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(shard + 12)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(shard + 16)));
        Assert.Equal(12L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(shard + 20)));
        Assert.Equal(11L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(shard + 28)));
        Assert.Equal(42L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(shard + 36)));
        int weights = shard + 12 + 40;
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(weights)));
        Assert.Equal(44ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(weights + 4)));
        Assert.Equal(checkpoint.Weights[0], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(weights + 12)));
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
    }

    [Fact]
    public void Read_FlippedContentByte_ChecksumMismatch()
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        bytes[bytes.Length / 2] ^= 0x01;

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.ChecksumMismatch, error.Error);
    }

    [Fact]
    public void Read_FlippedTrailerByte_ChecksumMismatch()
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        bytes[^1] ^= 0x80;

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.ChecksumMismatch, error.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Read_TruncatedFile_Truncated(int keep)
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        byte[] truncated = bytes[..(keep >= 0 ? keep : bytes.Length + keep)];

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(truncated)));

        Assert.Equal(CheckpointError.Truncated, error.Error);
    }

    [Fact]
    public void Read_OtherMagic_BadMagic()
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        bytes[6] = (byte)'\n';

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.BadMagic, error.Error);
    }

    [Fact]
    public void Read_Version2_UnsupportedVersion()
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.UnsupportedVersion, error.Error);
        Assert.Contains("format version 2", error.Message);
    }

    [Fact]
    public void Read_NonZeroFlags_UnsupportedVersion()
    {
        byte[] bytes = Serialize(CheckpointSamples.Checkpoint());
        bytes[12] = 1;

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.UnsupportedVersion, error.Error);
    }

    [Fact]
    public void Read_TrailingBytes_Malformed()
    {
        byte[] bytes = [.. Serialize(CheckpointSamples.Checkpoint()), 0, 0];

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointError.Malformed, error.Error);
    }

    [Fact]
    public void Read_ValidChecksumMissingSection_Malformed()
    {
        // Drop the deduplication section, rewrite the length and the checksum: only the structure is wrong.
        ShardCheckpoint checkpoint = CheckpointSamples.Checkpoint(membership: false);
        byte[] bytes = Serialize(checkpoint);
        int sectionStart = FindSection(bytes, 6);
        byte[] content = [.. bytes[24..sectionStart]];
        byte[] rebuilt = Reseal(bytes[..24], content);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(new MemoryStream(rebuilt)));

        Assert.Equal(CheckpointError.Malformed, error.Error);
        Assert.Contains("deduplication", error.Message);
    }

    [Fact]
    public void Read_UnknownSection_Skipped()
    {
        ShardCheckpoint checkpoint = CheckpointSamples.Checkpoint();
        byte[] bytes = Serialize(checkpoint);
        byte[] extra = new byte[12 + 3];
        BinaryPrimitives.WriteUInt32LittleEndian(extra, 99);
        BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(4), 3);
        byte[] rebuilt = Reseal(bytes[..24], [.. bytes[24..^32], .. extra]);

        ShardCheckpoint read = CheckpointFile.Read(new MemoryStream(rebuilt));

        Assert.Equal(checkpoint.Weights, read.Weights);
    }

    [Fact]
    public void Read_FromFile_ErrorNamesPath()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "v000000000001.psckpt");
        File.WriteAllBytes(path, Serialize(CheckpointSamples.Checkpoint())[..50]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Write_WeightsShorterThanRange_ThrowsArgument()
    {
        ShardCheckpoint checkpoint = CheckpointSamples.Checkpoint();
        ShardCheckpoint bad = CopyWith(checkpoint, weights: checkpoint.Weights[..^1]);

        var error = Assert.Throws<ArgumentException>(() => CheckpointFile.Write(new MemoryStream(), bad));

        Assert.Contains("range length 11", error.Message);
    }

    internal static byte[] Serialize(ShardCheckpoint checkpoint)
    {
        using var stream = new MemoryStream();
        long written = CheckpointFile.Write(stream, checkpoint);
        Assert.Equal(stream.Length, written);
        return stream.ToArray();
    }

    private static byte[] Reseal(byte[] header, byte[] content)
    {
        byte[] file = [.. header, .. content, .. new byte[32]];
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)content.Length);
        SHA256.HashData(file.AsSpan(0, file.Length - 32)).CopyTo(file.AsSpan(file.Length - 32));
        return file;
    }

    private static int FindSection(byte[] bytes, uint tag)
    {
        int offset = 24;
        while (offset < bytes.Length - 32)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) == tag)
            {
                return offset;
            }

            offset += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset + 4));
        }

        throw new InvalidOperationException($"section {tag} not found");
    }

    private static ShardCheckpoint CopyWith(
        ShardCheckpoint source,
        float[]? weights = null,
        double? learningRateOverride = double.NaN) => new()
    {
        Job = source.Job,
        ShardIndex = source.ShardIndex,
        ShardCount = source.ShardCount,
        Range = source.Range,
        Version = source.Version,
        CreatedAt = source.CreatedAt,
        Weights = weights ?? source.Weights,
        OptimizerUpdateCount = source.OptimizerUpdateCount,
        OptimizerBuffers = source.OptimizerBuffers,
        Schedule = source.Schedule,
        LearningRateOverride = learningRateOverride is double v && double.IsNaN(v) ? source.LearningRateOverride : learningRateOverride,
        Deduplication = source.Deduplication,
        Membership = source.Membership,
        EpochAssignments = source.Membership is null ? new Dictionary<long, uint[]>() : source.EpochAssignments,
        LastEvaluation = source.Membership is null ? null : source.LastEvaluation,
    };
}
