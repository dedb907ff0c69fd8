using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;
using ParamServer.Server.Checkpoints;

namespace ParamServer.Server.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly RecordingLoggerProvider _logs = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_SixVersionsKeepThree_KeepsNewestThree()
    {
        CheckpointStore store = CreateStore(keep: 3);

        for (long version = 1; version <= 6; version++)
        {
            store.Write(CheckpointSamples.Checkpoint(version));
        }

        Assert.Equal([6L, 5L, 4L], store.List("mnist-test").Select(f => f.Version));
        Assert.Equal(3, Directory.GetFiles(store.DirectoryOf("mnist-test")).Length);
    }

    [Fact]
    public void Write_Result_NamesFileAndVersion()
    {
        CheckpointStore store = CreateStore();

        CheckpointWriteResult result = store.Write(CheckpointSamples.Checkpoint(120));

        string expected = Path.Combine(_directory.Path, "mnist-test", "shard-0001-of-0002", "v000000000120.psckpt");
        Assert.Equal(expected, result.Path);
        Assert.Equal(120, result.Version);
        Assert.Equal(new FileInfo(expected).Length, result.Bytes);
    }

    [Fact]
    public void LoadNewest_CorruptNewest_ReturnsPreviousAndQuarantines()
    {
        CheckpointStore store = CreateStore();
        store.Write(CheckpointSamples.Checkpoint(10));
        CheckpointWriteResult newest = store.Write(CheckpointSamples.Checkpoint(20));
        FlipByte(newest.Path, 200);

        ShardCheckpoint? loaded = store.LoadNewest("mnist-test");

        Assert.NotNull(loaded);
        Assert.Equal(10, loaded.Version);
        Assert.False(File.Exists(newest.Path));
        Assert.True(File.Exists(newest.Path + CheckpointStore.QuarantineSuffix));
        RecordingLoggerProvider.LogEntry rejected = Assert.Single(_logs.WithEventId(3002));
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("ChecksumMismatch", rejected.Message);
    }

    [Fact]
    public void LoadNewest_TruncatedNewest_ReturnsPrevious()
    {
        CheckpointStore store = CreateStore();
        store.Write(CheckpointSamples.Checkpoint(10));
        CheckpointWriteResult newest = store.Write(CheckpointSamples.Checkpoint(20));
        using (var file = new FileStream(newest.Path, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        ShardCheckpoint? loaded = store.LoadNewest("mnist-test");

        Assert.Equal(10, loaded?.Version);
        Assert.Contains("Truncated", Assert.Single(_logs.WithEventId(3002)).Message);
    }

    [Fact]
    public void LoadNewest_AllCorrupt_ReturnsNull()
    {
        CheckpointStore store = CreateStore();
        FlipByte(store.Write(CheckpointSamples.Checkpoint(10)).Path, 0);

        Assert.Null(store.LoadNewest("mnist-test"));
        Assert.Contains("BadMagic", Assert.Single(_logs.WithEventId(3002)).Message);
    }

    [Fact]
    public void LoadNewest_CheckpointOfOtherShard_Skipped()
    {
        CheckpointStore store = CreateStore();
        store.Write(CheckpointSamples.Checkpoint(10));
        string misplaced = Path.Combine(store.DirectoryOf("mnist-test"), CheckpointPaths.FileName(30));
        CheckpointFile.WriteFile(misplaced, CheckpointSamples.Checkpoint(30, shardIndex: 0));

        ShardCheckpoint? loaded = store.LoadNewest("mnist-test");

        Assert.Equal(10, loaded?.Version);
        Assert.Contains("shard 0 of 2", Assert.Single(_logs.WithEventId(3002)).Message);
    }

    [Fact]
    public void Write_FailsMidway_LeavesNoPartialFile()
    {
        CheckpointStore store = CreateStore();
        CheckpointWriteResult previous = store.Write(CheckpointSamples.Checkpoint(10));
        byte[] before = File.ReadAllBytes(previous.Path);
        store.StreamDecorator = stream => new FailingStream(stream, failAfterBytes: 100);

        Assert.Throws<IOException>(() => store.Write(CheckpointSamples.Checkpoint(20)));
        Assert.Throws<IOException>(() => store.Write(CheckpointSamples.Checkpoint(10)));

        string[] files = Directory.GetFiles(store.DirectoryOf("mnist-test"));
        Assert.Equal([previous.Path], files);
        Assert.Equal(before, File.ReadAllBytes(previous.Path));
        Assert.Equal(10, store.LoadNewest("mnist-test")?.Version);
    }

    [Fact]
    public void LoadAll_LeftoverTemporaryFile_RemovedAndIgnored()
    {
        CheckpointStore store = CreateStore();
        store.Write(CheckpointSamples.Checkpoint(10));
        string leftover = Path.Combine(store.DirectoryOf("mnist-test"), ".v000000000020.psckpt.tmp-0123");
        File.WriteAllBytes(leftover, [1, 2, 3]);

        IReadOnlyList<ShardCheckpoint> loaded = store.LoadAll();

        Assert.Equal(10, Assert.Single(loaded).Version);
        Assert.False(File.Exists(leftover));
        Assert.Single(_logs.WithEventId(3006));
    }

    [Fact]
    public void LoadAll_OtherShardCount_Ignored()
    {
        CheckpointStore store = CreateStore();
        store.Write(CheckpointSamples.Checkpoint(10));
        store.Write(CheckpointSamples.Checkpoint(7, job: CheckpointSamples.Job("job/with:odd chars")));
        var fourShards = new CheckpointStore(_directory.Path, 1, 4, 3, _logs.CreateLogger<CheckpointStore>());
        fourShards.Write(CheckpointSamples.Checkpoint(99, shardIndex: 1, shardCount: 4));

        IReadOnlyList<ShardCheckpoint> loaded = store.LoadAll();

        Assert.Equal(["job/with:odd chars", "mnist-test"], loaded.Select(c => c.JobId).Order(StringComparer.Ordinal));
        Assert.All(loaded, c => Assert.Equal(2, c.ShardCount));
    }

    [Fact]
    public void EscapeJobId_UnsafeCharacters_PercentEncoded()
    {
        Assert.Equal("job%2Fwith%3Aodd%20chars", CheckpointPaths.EscapeJobId("job/with:odd chars"));
        Assert.Equal("%2E.", CheckpointPaths.EscapeJobId(".."));
        Assert.Equal("r%C3%A9seau-1_a.b", CheckpointPaths.EscapeJobId("réseau-1_a.b"));
    }

    private CheckpointStore CreateStore(int keep = 3) =>
        new(_directory.Path, shardIndex: 1, shardCount: 2, keep, _logs.CreateLogger<CheckpointStore>());

    private static void FlipByte(string path, int offset)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x55;
        File.WriteAllBytes(path, bytes);
    }
}
