using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Checkpoints;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Commands;
using ParamServer.Sharding;

namespace ParamServer.Psctl.Tests.Commands;

public sealed class ExportCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psctl-export-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Export_CheckpointRoot_WritesWholeModel()
    {
        JobSpec job = Job();
        float[] all = WriteCheckpoints(job, version: 12);
        string output = Path.Combine(_directory.FullName, "model.safetensors");
        var console = new StringWriter();

        int exit = await ExportCommand.RunAsync(
            [Path.Combine(_directory.FullName, "root"), "--out", output], Context(console));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith($"Wrote {output}: job 'export-test', version 12, 2 tensors", console.ToString());
        byte[] bytes = File.ReadAllBytes(output);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        Assert.Equal("12", header.RootElement.GetProperty("__metadata__").GetProperty("version").GetString());
        float[] data = new float[all.Length];
        Buffer.BlockCopy(bytes, 8 + headerLength, data, 0, all.Length * sizeof(float));
        Assert.Equal(all, data);
    }

    [Fact]
    public async Task Export_CheckpointFiles_WritesWholeModel()
    {
        JobSpec job = Job();
        WriteCheckpoints(job, version: 5);
        string[] files = Directory.GetFiles(Path.Combine(_directory.FullName, "root"), "*.psckpt",
            SearchOption.AllDirectories).Order().ToArray();
        string output = Path.Combine(_directory.FullName, "files.safetensors");

        int exit = await ExportCommand.RunAsync([.. files, "--out", output], Context(new StringWriter()));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Export_WithoutOut_IsRejected()
    {
        OptionException error = await Assert.ThrowsAsync<OptionException>(
            () => ExportCommand.RunAsync(["some-dir"], Context(new StringWriter())));

        Assert.StartsWith("'psctl export' needs CHECKPOINT and --out FILE.", error.Message);
    }

    private float[] WriteCheckpoints(JobSpec job, long version)
    {
        var layout = ModelLayout.Create(job.Model);
        float[] all = Enumerable.Range(0, (int)layout.TotalElements).Select(i => i * 0.25f).ToArray();
        string root = Path.Combine(_directory.FullName, "root");
        for (int shard = 0; shard < 2; shard++)
        {
            ShardRange range = RangePartitioner.RangeOf(layout.TotalElements, 2, shard);
            var checkpoint = new ShardCheckpoint
            {
                Job = job,
                ShardIndex = shard,
                ShardCount = 2,
                Range = range,
                Version = version,
                CreatedAt = DateTimeOffset.UnixEpoch,
                Weights = all.AsSpan((int)range.Start, (int)range.Length).ToArray(),
                OptimizerUpdateCount = version,
                OptimizerBuffers = [],
                Schedule = CheckpointScheduleState.Initial,
                Deduplication = [],
            };
            string directory = CheckpointPaths.ShardDirectory(root, job.JobId, shard, 2);
            Directory.CreateDirectory(directory);
            CheckpointFile.WriteFile(Path.Combine(directory, CheckpointPaths.FileName(version)), checkpoint);
        }

        return all;
    }

    private static JobSpec Job() => new()
    {
        JobId = "export-test",
        Model = MlpModel.CreateSpec([3, 2], 1),
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.1 },
        NumShards = 2,
    };

    private static CommandContext Context(TextWriter output) =>
        new(output, TextWriter.Null, NullLoggerFactory.Instance, TimeProvider.System, false, CancellationToken.None);
}
