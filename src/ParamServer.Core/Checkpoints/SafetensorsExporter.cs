using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Checkpoints;

/// <summary>
/// Writes a model as a safetensors file: an 8-byte little-endian header length n, n bytes of UTF-8 JSON mapping
/// each tensor name to {"dtype":"F32","shape":[...],"data_offsets":[begin,end]} plus a "__metadata__" object of
/// strings, then the raw little-endian float32 data. Tensors are named and ordered as the job's model lists them,
/// and the header is padded with spaces so the data starts at a multiple of 8 bytes.
/// </summary>
public static class SafetensorsExporter
{
    /// <summary>Metadata key of the job id.</summary>
    public const string JobIdKey = "job_id";

    /// <summary>Metadata key of the model version (global step).</summary>
    public const string VersionKey = "version";

    /// <summary>
    /// Combines one checkpoint per shard of a job into the full model and writes it to <paramref name="outputPath"/>
    /// atomically.
    /// </summary>
    /// <param name="allowMixedVersions">Accept shards at different versions; the metadata then records the lowest
    /// version and "mixed_versions": "true". Default false.</param>
    /// <exception cref="ArgumentException">The checkpoints are not exactly one per shard of one job, their ranges do
    /// not tile the model, or their versions differ without <paramref name="allowMixedVersions"/>.</exception>
    public static SafetensorsExportResult Export(
        IEnumerable<ShardCheckpoint> shards,
        string outputPath,
        bool allowMixedVersions = false)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ShardCheckpoint[] ordered = OrderAndValidate(shards, allowMixedVersions);
        JobSpec job = ordered[0].Job;
        long version = ordered.Min(s => s.Version);
        var metadata = new Dictionary<string, string>
        {
            [JobIdKey] = job.JobId,
            [VersionKey] = version.ToString(CultureInfo.InvariantCulture),
            ["shards"] = ordered.Length.ToString(CultureInfo.InvariantCulture),
        };
        if (ordered.Any(s => s.Version != version))
        {
            metadata["mixed_versions"] = "true";
        }

        ModelLayout layout = ModelLayout.Create(job.Model);
        ReadOnlyMemory<float>[] parts = ordered.Select(s => (ReadOnlyMemory<float>)s.Weights).ToArray();
        long bytes = AtomicFile.Write(outputPath, stream => Write(stream, layout, parts, metadata));
        return new SafetensorsExportResult(Path.GetFullPath(outputPath), layout.Tensors.Count, bytes, version);
    }

    /// <summary>
    /// Writes the full model <paramref name="weights"/> (the flat vector of <paramref name="model"/>) to
    /// <paramref name="outputPath"/> atomically.
    /// </summary>
    /// <param name="metadata">Extra string metadata for the header; null for none. The job id and version keys are
    /// set from the arguments.</param>
    public static SafetensorsExportResult ExportModel(
        JobSpec job,
        long version,
        ReadOnlyMemory<float> weights,
        string outputPath,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ModelLayout layout = ModelLayout.Create(job.Model);
        if (weights.Length != layout.TotalElements)
        {
            throw new ArgumentException(
                $"weights has {weights.Length} elements; the model of job '{job.JobId}' has {layout.TotalElements}.",
                nameof(weights));
        }

        var header = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [JobIdKey] = job.JobId,
            [VersionKey] = version.ToString(CultureInfo.InvariantCulture),
        };
        long bytes = AtomicFile.Write(outputPath, stream => Write(stream, layout, [weights], header));
        return new SafetensorsExportResult(Path.GetFullPath(outputPath), layout.Tensors.Count, bytes, version);
    }

    /// <summary>
    /// Writes the safetensors encoding of a model whose flat vector is the concatenation of <paramref name="parts"/>
    /// to <paramref name="destination"/> and returns the bytes written.
    /// </summary>
    public static long Write(
        Stream destination,
        ModelLayout layout,
        IReadOnlyList<ReadOnlyMemory<float>> parts,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(metadata);
        long total = parts.Sum(p => (long)p.Length);
        if (total != layout.TotalElements)
        {
            throw new ArgumentException(
                $"the parts hold {total} elements; the model has {layout.TotalElements}.", nameof(parts));
        }

        byte[] header = BuildHeader(layout, metadata);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        destination.Write(length);
        destination.Write(header);
        foreach (ReadOnlyMemory<float> part in parts)
        {
            destination.Write(MemoryMarshal.AsBytes(part.Span));
        }

        return sizeof(ulong) + header.Length + total * sizeof(float);
    }

    private static byte[] BuildHeader(ModelLayout layout, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> entry in metadata.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    json.WriteString(entry.Key, entry.Value);
                }

                json.WriteEndObject();
            }

            foreach (TensorSlot tensor in layout.Tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.Offset * sizeof(float));
                json.WriteNumberValue(tensor.End * sizeof(float));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Pad with spaces so the data, which follows the 8-byte length and the header, starts 8-byte aligned.
        int padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (int i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static ShardCheckpoint[] OrderAndValidate(IEnumerable<ShardCheckpoint> shards, bool allowMixedVersions)
    {
        ShardCheckpoint[] all = shards.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("no checkpoints were given; expected one per shard of the job.", nameof(shards));
        }

        ShardCheckpoint first = all[0];
        int count = first.ShardCount;
        var ordered = new ShardCheckpoint[count];
        foreach (ShardCheckpoint shard in all)
        {
            if (shard.JobId != first.JobId || !shard.Job.Model.Equals(first.Job.Model))
            {
                throw new ArgumentException(
                    $"shard {shard.ShardIndex} belongs to job '{shard.JobId}' or has another model than shard "
                    + $"{first.ShardIndex} of job '{first.JobId}'; expected checkpoints of one job.", nameof(shards));
            }

            if (shard.ShardCount != count)
            {
                throw new ArgumentException(
                    $"shard {shard.ShardIndex} is one of {shard.ShardCount} shards; shard {first.ShardIndex} is one of "
                    + $"{count}.", nameof(shards));
            }

            if (shard.ShardIndex < 0 || shard.ShardIndex >= count)
            {
                throw new ArgumentException(
                    $"shard index {shard.ShardIndex} is outside [0, {count}).", nameof(shards));
            }

            if (ordered[shard.ShardIndex] is not null)
            {
                throw new ArgumentException($"shard {shard.ShardIndex} appears twice; expected it once.", nameof(shards));
            }

            ordered[shard.ShardIndex] = shard;
        }

        int[] missing = Enumerable.Range(0, count).Where(i => ordered[i] is null).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"shards {string.Join(", ", missing)} of {count} are missing; expected one checkpoint per shard.",
                nameof(shards));
        }

        ShardRange[] ranges = RangePartitioner.Partition(ModelLayout.Create(first.Job.Model), count);
        for (int i = 0; i < count; i++)
        {
            if (ordered[i].Range != ranges[i] || ordered[i].Weights.Length != ranges[i].Length)
            {
                throw new ArgumentException(
                    $"shard {i} holds range {ordered[i].Range} with {ordered[i].Weights.Length} weights; the model gives "
                    + $"{ranges[i]}.", nameof(shards));
            }
        }

        if (!allowMixedVersions && ordered.Any(s => s.Version != ordered[0].Version))
        {
            throw new ArgumentException(
                "the shards are at versions " + string.Join(", ", ordered.Select(s => s.Version))
                + "; expected one version, or allow mixed versions.", nameof(shards));
        }

        return ordered;
    }
}
