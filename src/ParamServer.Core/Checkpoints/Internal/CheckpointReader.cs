using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Checkpoints.Internal;

/// <summary>
/// Verifies and parses format version 1. The checksum is checked over the whole file before any field is parsed,
/// so damage is always reported as <see cref="CheckpointError.ChecksumMismatch"/> and never as a confusing
/// parse error.
/// </summary>
internal static class CheckpointReader
{
    private const int HashBufferBytes = 1 << 20;

    public static ShardCheckpoint Read(Stream stream, string? path)
    {
        long start = stream.Position;
        long available = stream.Length - start;
        long contentLength = ReadHeader(stream, available, path);
        VerifyChecksum(stream, start, contentLength, path);

        stream.Position = start + CheckpointFile.HeaderBytes;
        var reader = new SectionReader(stream, path) { Remaining = contentLength };
        return ParseContent(reader);
    }

    private static long ReadHeader(Stream stream, long available, string? path)
    {
        if (available < CheckpointFile.Magic.Length)
        {
            throw new CheckpointFormatException(
                CheckpointError.Truncated,
                $"the file has {available} bytes; the magic alone needs {CheckpointFile.Magic.Length}.",
                path);
        }

        Span<byte> header = stackalloc byte[CheckpointFile.HeaderBytes];
        stream.ReadExactly(header[..CheckpointFile.Magic.Length]);
        if (!header[..CheckpointFile.Magic.Length].SequenceEqual(CheckpointFile.Magic))
        {
            throw new CheckpointFormatException(
                CheckpointError.BadMagic,
                $"the file starts with {Convert.ToHexString(header[..CheckpointFile.Magic.Length])}; expected the "
                + $"checkpoint magic {Convert.ToHexString(CheckpointFile.Magic)}.",
                path);
        }

        if (available < CheckpointFile.HeaderBytes)
        {
            throw new CheckpointFormatException(
                CheckpointError.Truncated,
                $"the file has {available} bytes; the header needs {CheckpointFile.HeaderBytes}.",
                path);
        }

        stream.ReadExactly(header[CheckpointFile.Magic.Length..]);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (version != CheckpointFile.FormatVersion)
        {
            throw new CheckpointFormatException(
                CheckpointError.UnsupportedVersion,
                $"format version {version} is not supported; this reader implements version {CheckpointFile.FormatVersion}.",
                path);
        }

        if (flags != 0)
        {
            throw new CheckpointFormatException(
                CheckpointError.UnsupportedVersion,
                $"header flags are 0x{flags:X8}; format version {version} defines none, so expected 0.",
                path);
        }

        long overhead = CheckpointFile.HeaderBytes + CheckpointFile.TrailerBytes;
        if (declared > (ulong)(long.MaxValue - overhead) || (long)declared + overhead > available)
        {
            throw new CheckpointFormatException(
                CheckpointError.Truncated,
                $"the header declares {declared} content bytes, so the file needs {declared + (ulong)overhead} bytes; "
                + $"it has {available}.",
                path);
        }

        long contentLength = (long)declared;
        if (contentLength + overhead < available)
        {
            throw new CheckpointFormatException(
                CheckpointError.Malformed,
                $"the file has {available - contentLength - overhead} bytes after the checksum trailer; expected none.",
                path);
        }

        return contentLength;
    }

    private static void VerifyChecksum(Stream stream, long start, long contentLength, string? path)
    {
        stream.Position = start;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            long left = CheckpointFile.HeaderBytes + contentLength;
            while (left > 0)
            {
                int count = (int)Math.Min(left, buffer.Length);
                stream.ReadExactly(buffer, 0, count);
                hash.AppendData(buffer, 0, count);
                left -= count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> stored = stackalloc byte[CheckpointFile.TrailerBytes];
        stream.ReadExactly(stored);
        byte[] computed = hash.GetHashAndReset();
        if (!stored.SequenceEqual(computed))
        {
            throw new CheckpointFormatException(
                CheckpointError.ChecksumMismatch,
                $"SHA-256 of the content is {Convert.ToHexString(computed)}; the trailer stores "
                + $"{Convert.ToHexString(stored)}.",
                path);
        }
    }

    private static ShardCheckpoint ParseContent(SectionReader reader)
    {
        JobSpec? job = null;
        ShardFields? shard = null;
        float[]? weights = null;
        OptimizerFields? optimizer = null;
        ScheduleFields? schedule = null;
        List<DeduplicationEntry>? deduplication = null;
        CheckpointMembership? membership = null;
        Dictionary<long, uint[]> assignments = [];
        CheckpointEvaluation? evaluation = null;
        var seen = new HashSet<uint>();

        while (reader.Remaining > 0)
        {
            uint tag = reader.ReadUInt32();
            ulong declared = reader.ReadUInt64();
            if (declared > (ulong)reader.Remaining)
            {
                throw reader.Malformed(
                    $"section {tag} declares {declared} bytes; only {reader.Remaining} content bytes remain.");
            }

            long length = (long)declared;
            long after = reader.Remaining - length;
            if (tag is >= (uint)CheckpointSection.Job and <= (uint)CheckpointSection.Evaluation && !seen.Add(tag))
            {
                throw reader.Malformed($"section {(CheckpointSection)tag} appears twice; expected it once.");
            }

            reader.Remaining = length;
            switch ((CheckpointSection)tag)
            {
                case CheckpointSection.Job:
                    job = ParseJob(reader, length);
                    break;
                case CheckpointSection.Shard:
                    shard = new ShardFields(
                        reader.ReadInt32(),
                        reader.ReadInt32(),
                        new ShardRange(reader.ReadInt64(), reader.ReadInt64()),
                        reader.ReadInt64(),
                        reader.ReadInt64());
                    break;
                case CheckpointSection.Weights:
                    if (length % sizeof(float) != 0)
                    {
                        throw reader.Malformed($"the weights section has {length} bytes; expected a multiple of 4.");
                    }

                    weights = reader.ReadFloats(length / sizeof(float), "weights");
                    break;
                case CheckpointSection.Optimizer:
                    optimizer = ParseOptimizer(reader);
                    break;
                case CheckpointSection.Schedule:
                    schedule = new ScheduleFields(
                        new CheckpointScheduleState(
                            reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64()),
                        reader.ReadBoolean("learning-rate override flag"),
                        reader.ReadDouble());
                    break;
                case CheckpointSection.Deduplication:
                    deduplication = ParseDeduplication(reader);
                    break;
                case CheckpointSection.Membership:
                    membership = ParseMembership(reader);
                    break;
                case CheckpointSection.EpochAssignments:
                    assignments = ParseAssignments(reader);
                    break;
                case CheckpointSection.Evaluation:
                    evaluation = new CheckpointEvaluation(
                        reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64());
                    break;
                default:
                    // Later minor revisions may add sections that version-1 readers can ignore.
                    reader.Skip(length);
                    break;
            }

            if (reader.Remaining != 0)
            {
                throw reader.Malformed(
                    $"section {tag} declares {length} bytes but its fields use {length - reader.Remaining}.");
            }

            reader.Remaining = after;
        }

        return Assemble(
            reader, job, shard, weights, optimizer, schedule, deduplication, membership, assignments, evaluation);
    }

    private static JobSpec ParseJob(SectionReader reader, long length)
    {
        if (length > int.MaxValue)
        {
            throw reader.Malformed($"the job section has {length} bytes; expected at most {int.MaxValue}.");
        }

        byte[] bytes = reader.ReadBytes((int)length, "job");
        try
        {
            return JobSpec.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw reader.Malformed($"the job section is not a valid JobSpec message: {ex.Message}");
        }
    }

    private static OptimizerFields ParseOptimizer(SectionReader reader)
    {
        long updateCount = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw reader.Malformed($"the optimizer section declares {count} buffers; expected a non-negative count.");
        }

        var buffers = new List<CheckpointBuffer>(Math.Min(count, 64));
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString($"optimizer buffer {i} name");
            long elements = reader.ReadInt64();
            buffers.Add(new CheckpointBuffer(name, reader.ReadFloats(elements, $"optimizer buffer '{name}'")));
        }

        return new OptimizerFields(updateCount, buffers);
    }

    private static List<DeduplicationEntry> ParseDeduplication(SectionReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw reader.Malformed($"the deduplication section declares {count} entries; expected a non-negative count.");
        }

        var entries = new List<DeduplicationEntry>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            uint workerId = reader.ReadUInt32();
            long lastStep = reader.ReadInt64();
            byte[] bytes = reader.ReadBytes(reader.ReadInt32(), $"push result of worker {workerId}");
            try
            {
                entries.Add(new DeduplicationEntry(workerId, lastStep, PushResult.Parser.ParseFrom(bytes)));
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw reader.Malformed($"the push result of worker {workerId} is not a valid PushResult: {ex.Message}");
            }
        }

        return entries;
    }

    private static CheckpointMembership ParseMembership(SectionReader reader)
    {
        uint nextWorkerId = reader.ReadUInt32();
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw reader.Malformed($"the membership section declares {count} members; expected a non-negative count.");
        }

        var members = new List<CheckpointMember>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            uint workerId = reader.ReadUInt32();
            string name = reader.ReadString($"name of worker {workerId}");
            bool evaluator = reader.ReadBoolean("evaluator flag");
            long nextStep = reader.ReadInt64();
            bool hasPushed = reader.ReadBoolean("has-pushed flag");
            members.Add(new CheckpointMember(workerId, name, evaluator, nextStep, hasPushed, reader.ReadInt64()));
        }

        return new CheckpointMembership(nextWorkerId, members);
    }

    private static Dictionary<long, uint[]> ParseAssignments(SectionReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw reader.Malformed($"the epoch assignments section declares {count} epochs; expected a non-negative count.");
        }

        var assignments = new Dictionary<long, uint[]>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            long epoch = reader.ReadInt64();
            int members = reader.ReadInt32();
            if (members < 0 || (long)members * sizeof(uint) > reader.Remaining)
            {
                throw reader.Malformed($"epoch {epoch} declares {members} workers; the section has {reader.Remaining} bytes left.");
            }

            uint[] ids = new uint[members];
            for (int m = 0; m < members; m++)
            {
                ids[m] = reader.ReadUInt32();
            }

            if (!assignments.TryAdd(epoch, ids))
            {
                throw reader.Malformed($"epoch {epoch} appears twice in the epoch assignments.");
            }
        }

        return assignments;
    }

    private static ShardCheckpoint Assemble(
        SectionReader reader,
        JobSpec? job,
        ShardFields? shard,
        float[]? weights,
        OptimizerFields? optimizer,
        ScheduleFields? schedule,
        List<DeduplicationEntry>? deduplication,
        CheckpointMembership? membership,
        Dictionary<long, uint[]> assignments,
        CheckpointEvaluation? evaluation)
    {
        if (job is null || shard is null || weights is null || optimizer is null || schedule is null
            || deduplication is null)
        {
            string[] missing = new (string Name, bool Present)[]
                {
                    ("job", job is not null),
                    ("shard", shard is not null),
                    ("weights", weights is not null),
                    ("optimizer", optimizer is not null),
                    ("schedule", schedule is not null),
                    ("deduplication", deduplication is not null),
                }
                .Where(section => !section.Present)
                .Select(section => section.Name)
                .ToArray();
            throw reader.Malformed($"required sections are missing: {string.Join(", ", missing)}.");
        }

        ShardFields s = shard.Value;
        if (s.Count < 1 || s.Index < 0 || s.Index >= s.Count)
        {
            throw reader.Malformed($"shard index {s.Index} of {s.Count} is invalid; expected 0 <= index < count.");
        }

        if (weights.LongLength != s.Range.Length)
        {
            throw reader.Malformed($"the weights section has {weights.Length} values; the range {s.Range} needs {s.Range.Length}.");
        }

        ShardRange expected;
        try
        {
            expected = RangePartitioner.RangeOf(ModelLayout.Create(job.Model).TotalElements, s.Count, s.Index);
        }
        catch (ArgumentException ex)
        {
            throw reader.Malformed($"the job's model is invalid: {ex.Message}");
        }

        if (expected != s.Range)
        {
            throw reader.Malformed($"shard {s.Index} of {s.Count} stores range {s.Range}; the job's model gives {expected}.");
        }

        if (s.Version < 0 || optimizer.Value.UpdateCount < 0)
        {
            throw reader.Malformed($"version {s.Version} or optimizer update count {optimizer.Value.UpdateCount} is negative.");
        }

        DateTimeOffset createdAt;
        try
        {
            createdAt = DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedUnixMilliseconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw reader.Malformed($"creation time {s.CreatedUnixMilliseconds} ms is outside the representable range.");
        }

        return new ShardCheckpoint
        {
            Job = job,
            ShardIndex = s.Index,
            ShardCount = s.Count,
            Range = s.Range,
            Version = s.Version,
            CreatedAt = createdAt,
            Weights = weights,
            OptimizerUpdateCount = optimizer.Value.UpdateCount,
            OptimizerBuffers = optimizer.Value.Buffers,
            Schedule = schedule.Value.State,
            LearningRateOverride = schedule.Value.HasOverride ? schedule.Value.Override : null,
            Deduplication = deduplication,
            Membership = membership,
            EpochAssignments = assignments,
            LastEvaluation = evaluation,
        };
    }

    private readonly record struct ShardFields(int Index, int Count, ShardRange Range, long Version, long CreatedUnixMilliseconds);

    private readonly record struct OptimizerFields(long UpdateCount, List<CheckpointBuffer> Buffers);

    private readonly record struct ScheduleFields(CheckpointScheduleState State, bool HasOverride, double Override);
}
