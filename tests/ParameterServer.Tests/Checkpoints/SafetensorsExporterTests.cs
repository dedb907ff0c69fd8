using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ParamServer.Checkpoints;

namespace ParamServer.Server.Tests.Checkpoints;

public sealed class SafetensorsExporterTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Export_ThreeShards_ParsesBackByLayout()
    {
        ShardCheckpoint[] shards = [.. Enumerable.Range(0, 3).Select(i => CheckpointSamples.Checkpoint(5, i, 3))];
        float[] flat = [.. shards.SelectMany(s => s.Weights)];
        string output = Path.Combine(_directory.Path, "model.safetensors");

        SafetensorsExportResult result = SafetensorsExporter.Export(shards.Reverse(), output);

        byte[] file = File.ReadAllBytes(output);
        Assert.Equal(file.Length, result.Bytes);
        Assert.Equal(4, result.Tensors);
        Assert.Equal(5, result.Version);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + headerLength) % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength).TrimEnd(' '));
        JsonElement root = header.RootElement;
        Assert.Equal("mnist-test", root.GetProperty("__metadata__").GetProperty("job_id").GetString());
        Assert.Equal("5", root.GetProperty("__metadata__").GetProperty("version").GetString());
        (string Name, long[] Shape, long Begin, long End)[] expected =
        [
            ("dense0.weight", [4, 3], 0, 48),
            ("dense0.bias", [3], 48, 60),
            ("dense1.weight", [3, 2], 60, 84),
            ("dense1.bias", [2], 84, 92),
        ];
        Assert.Equal(5, root.EnumerateObject().Count());
        foreach ((string name, long[] shape, long begin, long end) in expected)
        {
            JsonElement tensor = root.GetProperty(name);
            Assert.Equal("F32", tensor.GetProperty("dtype").GetString());
            Assert.Equal(shape, tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal([begin, end], tensor.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        }

        int dataStart = 8 + (int)headerLength;
        Assert.Equal(dataStart + (23 * 4), file.Length);
        for (int i = 0; i < flat.Length; i++)
        {
            Assert.Equal(flat[i], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + (4 * i))));
        }
    }

    [Fact]
    public void Read_ExportedFile_ReturnsTensors()
    {
        ShardCheckpoint[] shards = [.. Enumerable.Range(0, 2).Select(i => CheckpointSamples.Checkpoint(9, i, 2))];
        float[] flat = [.. shards.SelectMany(s => s.Weights)];
        string output = Path.Combine(_directory.Path, "model.safetensors");
        SafetensorsExporter.Export(shards, output);

        SafetensorsModel model = SafetensorsFile.Read(output);

        Assert.Equal(["dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias"], model.Tensors.Select(t => t.Name));
        Assert.Equal(flat[..12], model["dense0.weight"].Values);
        Assert.Equal(flat[21..23], model["dense1.bias"].Values);
        Assert.Equal([3L, 2L], model["dense1.weight"].Shape);
        Assert.Equal("9", model.Metadata["version"]);
    }

    [Fact]
    public void ExportModel_FullVector_WritesSameLayout()
    {
        float[] weights = [.. Enumerable.Range(0, 23).Select(i => i * 0.5f)];
        string output = Path.Combine(_directory.Path, "final.safetensors");

        SafetensorsExporter.ExportModel(
            CheckpointSamples.Job(), 300, weights, output, new Dictionary<string, string> { ["accuracy"] = "0.98" });

        SafetensorsModel model = SafetensorsFile.Read(output);
        Assert.Equal(weights[12..15], model["dense0.bias"].Values);
        Assert.Equal("0.98", model.Metadata["accuracy"]);
        Assert.Equal("300", model.Metadata["version"]);
    }

    [Fact]
    public void Export_MixedVersions_Rejected()
    {
        ShardCheckpoint[] shards = [CheckpointSamples.Checkpoint(5, 0, 2), CheckpointSamples.Checkpoint(6, 1, 2)];
        string output = Path.Combine(_directory.Path, "model.safetensors");

        var error = Assert.Throws<ArgumentException>(() => SafetensorsExporter.Export(shards, output));

        Assert.Contains("versions 5, 6", error.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Export_MixedVersionsAllowed_RecordsLowest()
    {
        ShardCheckpoint[] shards = [CheckpointSamples.Checkpoint(5, 0, 2), CheckpointSamples.Checkpoint(6, 1, 2)];
        string output = Path.Combine(_directory.Path, "model.safetensors");

        SafetensorsExportResult result = SafetensorsExporter.Export(shards, output, allowMixedVersions: true);

        Assert.Equal(5, result.Version);
        Assert.Equal("true", SafetensorsFile.Read(output).Metadata["mixed_versions"]);
    }

    [Fact]
    public void Export_MissingShard_Rejected()
    {
        ShardCheckpoint[] shards = [CheckpointSamples.Checkpoint(5, 0, 3), CheckpointSamples.Checkpoint(5, 2, 3)];

        var error = Assert.Throws<ArgumentException>(
            () => SafetensorsExporter.Export(shards, Path.Combine(_directory.Path, "m.safetensors")));

        Assert.Contains("shards 1 of 3 are missing", error.Message);
    }

    [Fact]
    public void LoadJob_NewestCommonVersion_Exported()
    {
        string root = _directory.Path;
        foreach ((int shard, long version) in new[] { (0, 10L), (0, 20L), (1, 10L), (1, 20L), (1, 30L) })
        {
            CheckpointFile.WriteFile(
                Path.Combine(CheckpointPaths.ShardDirectory(root, "mnist-test", shard, 2), CheckpointPaths.FileName(version)),
                CheckpointSamples.Checkpoint(version, shard, 2));
        }

        IReadOnlyList<ShardCheckpoint> loaded = CheckpointCatalog.LoadJob(root, "mnist-test");

        Assert.Equal([20L, 20L], loaded.Select(c => c.Version));
        Assert.Equal([0, 1], loaded.Select(c => c.ShardIndex));
    }
}
