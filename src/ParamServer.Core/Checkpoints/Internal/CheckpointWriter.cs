using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace ParamServer.Checkpoints.Internal;

/// <summary>Serializes a <see cref="ShardCheckpoint"/> in format version 1; see docs/checkpoints.md.</summary>
internal static class CheckpointWriter
{
    private const int SectionHeaderBytes = sizeof(uint) + sizeof(ulong);

    public static long Write(Stream destination, ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Validate(checkpoint);

        byte[] job = checkpoint.Job.ToByteArray();
        byte[][] bufferNames = checkpoint.OptimizerBuffers.Select(b => Encoding.UTF8.GetBytes(b.Name)).ToArray();
        byte[][] results = checkpoint.Deduplication.Select(d => d.Result.ToByteArray()).ToArray();
        byte[][] memberNames = checkpoint.Membership?.Members.Select(m => Encoding.UTF8.GetBytes(m.Name)).ToArray() ?? [];

        long optimizerBytes = sizeof(long) + sizeof(int);
        for (int i = 0; i < bufferNames.Length; i++)
        {
            optimizerBytes += sizeof(int) + bufferNames[i].Length + sizeof(long)
                + (long)checkpoint.OptimizerBuffers[i].Values.Length * sizeof(float);
        }

        long deduplicationBytes = sizeof(int) + results.Sum(r => (long)sizeof(uint) + sizeof(long) + sizeof(int) + r.Length);
        long membershipBytes = sizeof(uint) + sizeof(int)
            + memberNames.Sum(n => (long)sizeof(uint) + sizeof(int) + n.Length + 1 + sizeof(long) + 1 + sizeof(long));
        KeyValuePair<long, uint[]>[] assignments = [.. checkpoint.EpochAssignments.OrderBy(pair => pair.Key)];
        long assignmentBytes = sizeof(int)
            + assignments.Sum(pair => (long)sizeof(long) + sizeof(int) + ((long)pair.Value.Length * sizeof(uint)));

        long contentLength = SectionHeaderBytes * 6L
            + job.Length
            + CheckpointFile.ShardSectionBytes
            + (long)checkpoint.Weights.Length * sizeof(float)
            + optimizerBytes
            + CheckpointFile.ScheduleSectionBytes
            + deduplicationBytes;
        if (checkpoint.Membership is not null)
        {
            contentLength += SectionHeaderBytes + membershipBytes;
        }

        if (assignments.Length > 0)
        {
            contentLength += SectionHeaderBytes + assignmentBytes;
        }

        if (checkpoint.LastEvaluation is not null)
        {
            contentLength += SectionHeaderBytes + CheckpointFile.EvaluationSectionBytes;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashingWriteStream(destination, hash);
        using (var writer = new BinaryWriter(sink, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(CheckpointFile.Magic);
            writer.Write(CheckpointFile.FormatVersion);
            writer.Write(0u);
            writer.Write((ulong)contentLength);

            BeginSection(writer, CheckpointSection.Job, job.Length);
            writer.Write(job);

            BeginSection(writer, CheckpointSection.Shard, CheckpointFile.ShardSectionBytes);
            writer.Write(checkpoint.ShardIndex);
            writer.Write(checkpoint.ShardCount);
            writer.Write(checkpoint.Range.Start);
            writer.Write(checkpoint.Range.Length);
            writer.Write(checkpoint.Version);
            writer.Write(checkpoint.CreatedAt.ToUnixTimeMilliseconds());

            BeginSection(writer, CheckpointSection.Weights, (long)checkpoint.Weights.Length * sizeof(float));
            writer.Write(MemoryMarshal.AsBytes(checkpoint.Weights.AsSpan()));

            BeginSection(writer, CheckpointSection.Optimizer, optimizerBytes);
            writer.Write(checkpoint.OptimizerUpdateCount);
            writer.Write(checkpoint.OptimizerBuffers.Count);
            for (int i = 0; i < bufferNames.Length; i++)
            {
                float[] values = checkpoint.OptimizerBuffers[i].Values;
                writer.Write(bufferNames[i].Length);
                writer.Write(bufferNames[i]);
                writer.Write((long)values.Length);
                writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            }

            CheckpointScheduleState schedule = checkpoint.Schedule;
            BeginSection(writer, CheckpointSection.Schedule, CheckpointFile.ScheduleSectionBytes);
            writer.Write(schedule.Scale);
            writer.Write(schedule.BestLoss);
            writer.Write(schedule.BadReports);
            writer.Write(schedule.CooldownLeft);
            writer.Write(schedule.Reports);
            writer.Write(checkpoint.LearningRateOverride.HasValue);
            writer.Write(checkpoint.LearningRateOverride ?? 0.0);

            BeginSection(writer, CheckpointSection.Deduplication, deduplicationBytes);
            writer.Write(checkpoint.Deduplication.Count);
            for (int i = 0; i < results.Length; i++)
            {
                writer.Write(checkpoint.Deduplication[i].WorkerId);
                writer.Write(checkpoint.Deduplication[i].Step);
                writer.Write(results[i].Length);
                writer.Write(results[i]);
            }

            if (checkpoint.Membership is { } membership)
            {
                BeginSection(writer, CheckpointSection.Membership, membershipBytes);
                writer.Write(membership.NextWorkerId);
                writer.Write(membership.Members.Count);
                for (int i = 0; i < memberNames.Length; i++)
                {
                    CheckpointMember member = membership.Members[i];
                    writer.Write(member.WorkerId);
                    writer.Write(memberNames[i].Length);
                    writer.Write(memberNames[i]);
                    writer.Write(member.Evaluator);
                    writer.Write(member.NextStep);
                    writer.Write(member.HasPushed);
                    writer.Write(member.LastStep);
                }
            }

            if (assignments.Length > 0)
            {
                BeginSection(writer, CheckpointSection.EpochAssignments, assignmentBytes);
                writer.Write(assignments.Length);
                foreach ((long epoch, uint[] members) in assignments)
                {
                    writer.Write(epoch);
                    writer.Write(members.Length);
                    writer.Write(MemoryMarshal.AsBytes(members.AsSpan()));
                }
            }

            if (checkpoint.LastEvaluation is { } evaluation)
            {
                BeginSection(writer, CheckpointSection.Evaluation, CheckpointFile.EvaluationSectionBytes);
                writer.Write(evaluation.Version);
                writer.Write(evaluation.Loss);
                writer.Write(evaluation.Accuracy);
                writer.Write(evaluation.Samples);
            }
        }

        long expected = CheckpointFile.HeaderBytes + contentLength;
        if (sink.BytesWritten != expected)
        {
            throw new InvalidOperationException(
                $"Checkpoint writer emitted {sink.BytesWritten} bytes before the trailer; its header declared {expected}.");
        }

        destination.Write(hash.GetHashAndReset());
        return expected + CheckpointFile.TrailerBytes;
    }

    private static void BeginSection(BinaryWriter writer, CheckpointSection section, long length)
    {
        writer.Write((uint)section);
        writer.Write((ulong)length);
    }

    private static void Validate(ShardCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(checkpoint.Job);
        ArgumentNullException.ThrowIfNull(checkpoint.Weights);
        ArgumentNullException.ThrowIfNull(checkpoint.OptimizerBuffers);
        ArgumentNullException.ThrowIfNull(checkpoint.Schedule);
        ArgumentNullException.ThrowIfNull(checkpoint.Deduplication);
        if (string.IsNullOrEmpty(checkpoint.Job.JobId))
        {
            throw new ArgumentException("Job.JobId is empty; expected the id of the checkpointed job.", nameof(checkpoint));
        }

        if (checkpoint.ShardCount < 1 || checkpoint.ShardIndex < 0 || checkpoint.ShardIndex >= checkpoint.ShardCount)
        {
            throw new ArgumentException(
                $"ShardIndex {checkpoint.ShardIndex} of ShardCount {checkpoint.ShardCount} is invalid; expected "
                + "0 <= ShardIndex < ShardCount.", nameof(checkpoint));
        }

        if (checkpoint.Range.Length != checkpoint.Weights.Length)
        {
            throw new ArgumentException(
                $"Weights has {checkpoint.Weights.Length} elements; expected the range length {checkpoint.Range.Length}.",
                nameof(checkpoint));
        }

        if (checkpoint.Version < 0 || checkpoint.OptimizerUpdateCount < 0)
        {
            throw new ArgumentException(
                $"Version {checkpoint.Version} or OptimizerUpdateCount {checkpoint.OptimizerUpdateCount} is negative.",
                nameof(checkpoint));
        }

        foreach (CheckpointBuffer buffer in checkpoint.OptimizerBuffers)
        {
            if (buffer is null || buffer.Values is null || string.IsNullOrEmpty(buffer.Name))
            {
                throw new ArgumentException(
                    "OptimizerBuffers contains a null buffer or an empty name; expected named arrays.", nameof(checkpoint));
            }
        }

        if (checkpoint.Deduplication.Any(d => d?.Result is null))
        {
            throw new ArgumentException("Deduplication contains an entry without a result.", nameof(checkpoint));
        }

        if (checkpoint.Membership is { } membership && membership.Members.Any(m => m?.Name is null))
        {
            throw new ArgumentException("Membership contains a member without a name.", nameof(checkpoint));
        }

        if (checkpoint.EpochAssignments is null || checkpoint.EpochAssignments.Values.Any(ids => ids is null))
        {
            throw new ArgumentException("EpochAssignments is null or contains a null worker list; expected a list of worker ids per epoch.", nameof(checkpoint));
        }
    }
}
