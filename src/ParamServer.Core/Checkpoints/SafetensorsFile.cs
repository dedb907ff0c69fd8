using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ParamServer.Checkpoints;

/// <summary>Reads safetensors files with float32 tensors, such as those <see cref="SafetensorsExporter"/> writes.</summary>
public static class SafetensorsFile
{
    /// <summary>Largest JSON header accepted, in bytes: 100 MB, as the reference implementation allows.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads every tensor and the metadata of the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file breaks the safetensors layout or holds a dtype other than F32;
    /// the message names the tensor and the field.</exception>
    public static SafetensorsModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < sizeof(ulong))
        {
            throw new InvalidDataException($"'{path}' has {file.Length} bytes; the header length alone needs 8.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - sizeof(ulong)))
        {
            throw new InvalidDataException(
                $"'{path}' declares a {headerLength}-byte header; the file has {file.Length} bytes and the limit is "
                + $"{MaxHeaderBytes}.");
        }

        int dataStart = sizeof(ulong) + (int)headerLength;
        ReadOnlySpan<byte> data = file.AsSpan(dataStart);
        using JsonDocument header = ParseHeader(file.AsMemory(sizeof(ulong), (int)headerLength), path);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<(long Begin, SafetensorsTensor Tensor)>();
        foreach (JsonProperty property in header.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (JsonProperty entry in property.Value.EnumerateObject())
                {
                    metadata[entry.Name] = entry.Value.GetString()
                        ?? throw new InvalidDataException($"'{path}': metadata '{entry.Name}' is not a string.");
                }

                continue;
            }

            try
            {
                tensors.Add(ReadTensor(property, data, path));
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException(
                    $"'{path}': tensor '{property.Name}' lacks a valid dtype, shape or data_offsets: {ex.Message}", ex);
            }
        }

        tensors.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expectedBegin = 0;
        foreach ((long begin, SafetensorsTensor tensor) in tensors)
        {
            if (begin != expectedBegin)
            {
                throw new InvalidDataException(
                    $"'{path}': tensor '{tensor.Name}' starts at data byte {begin}; expected {expectedBegin}, because "
                    + "tensors must cover the data without gaps or overlaps.");
            }

            expectedBegin = begin + tensor.Values.LongLength * sizeof(float);
        }

        if (expectedBegin != data.Length)
        {
            throw new InvalidDataException(
                $"'{path}': the tensors cover {expectedBegin} data bytes; the file has {data.Length}.");
        }

        return new SafetensorsModel(tensors.Select(t => t.Tensor).ToArray(), metadata);
    }

    private static JsonDocument ParseHeader(ReadOnlyMemory<byte> json, string path)
    {
        try
        {
            JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException($"'{path}': the header is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}': the header is not valid JSON: {ex.Message}", ex);
        }
    }

    private static (long Begin, SafetensorsTensor Tensor) ReadTensor(
        JsonProperty property,
        ReadOnlySpan<byte> data,
        string path)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        string? dtype = entry.TryGetProperty("dtype", out JsonElement d) ? d.GetString() : null;
        if (dtype != "F32")
        {
            throw new InvalidDataException($"'{path}': tensor '{name}' has dtype '{dtype}'; expected F32.");
        }

        long[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long[] offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long elements = shape.Aggregate(1L, (product, dimension) => dimension < 0
            ? throw new InvalidDataException($"'{path}': tensor '{name}' has negative dimension {dimension}.")
            : checked(product * dimension));
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != elements * 4)
        {
            throw new InvalidDataException(
                $"'{path}': tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; expected two offsets "
                + $"{elements * 4} bytes apart within the {data.Length} data bytes.");
        }

        float[] values = new float[elements];
        data.Slice((int)offsets[0], (int)(offsets[1] - offsets[0])).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return (offsets[0], new SafetensorsTensor(name, shape, values));
    }
}
