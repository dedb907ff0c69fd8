using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;
using ParamServer.Server.Checkpoints;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;

namespace ParamServer.Server.Tests.Checkpoints;

public sealed class CheckpointServiceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TemporaryDirectory _directory = new();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly FakeCheckpointTarget _target;

    public CheckpointServiceTests()
    {
        _target = new FakeCheckpointTarget(_time);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StepLoop_MultipleOfEverySteps_WritesCheckpoint()
    {
        CheckpointService service = CreateService(everySteps: 5, everySeconds: 0);
        _target.SetVersion("mnist-test", 3);
        using var stop = new CancellationTokenSource();
        Task loop = service.RunStepLoopAsync(stop.Token);

        _target.SetVersion("mnist-test", 4);
        _target.SetVersion("mnist-test", 5);
        await _logs.WaitForEventAsync(3000);
        _target.SetVersion("mnist-test", 10);
        await _logs.WaitForEventAsync(3000, 2);
        stop.Cancel();
        await loop.WaitAsync(Timeout);

        Assert.Equal([10L, 5L], service.Store!.List("mnist-test").Select(f => f.Version));
        Assert.All(_logs.WithEventId(3000), entry => Assert.Contains("reason Steps", entry.Message));
    }

    [Fact]
    public async Task IntervalLoop_VersionChanged_WritesEachPeriod()
    {
        CheckpointService service = CreateService(everySteps: 0, everySeconds: 30);
        _target.SetVersion("mnist-test", 7);
        using var stop = new CancellationTokenSource();
        Task loop = service.RunIntervalLoopAsync(stop.Token);

        _time.Advance(TimeSpan.FromSeconds(30));
        await _logs.WaitForEventAsync(3000, 1);
        _time.Advance(TimeSpan.FromSeconds(30));
        await _logs.WaitForEventAsync(3010, 1);
        _target.SetVersion("mnist-test", 9);
        _time.Advance(TimeSpan.FromSeconds(30));
        await _logs.WaitForEventAsync(3000, 2);
        stop.Cancel();
        await loop.WaitAsync(Timeout);

        Assert.Equal([9L, 7L], service.Store!.List("mnist-test").Select(f => f.Version));
    }

    [Fact]
    public async Task GetStatus_AfterWrite_ReportsVersionAndAge()
    {
        CheckpointService service = CreateService();
        _target.SetVersion("mnist-test", 12);

        CheckpointWriteResult? result = await service.CheckpointAsync("mnist-test", CheckpointReason.Operator)
            .WaitAsync(Timeout);
        _time.Advance(TimeSpan.FromSeconds(4.5));
        CheckpointStatus status = service.GetStatus("mnist-test");

        Assert.NotNull(result);
        Assert.True(status.HasCheckpoint);
        Assert.Equal(12, status.LastVersion);
        Assert.Equal(4.5, status.AgeSeconds, precision: 6);
        Assert.Equal(result.Path, status.LastPath);
        Assert.Equal(1, status.Written);
        Assert.False(status.Restored);
    }

    [Fact]
    public async Task RestoreAll_NewestValid_RestoresAndReports()
    {
        CheckpointService first = CreateService();
        _target.SetVersion("mnist-test", 30);
        await first.CheckpointAsync("mnist-test", CheckpointReason.Operator).WaitAsync(Timeout);
        _target.SetVersion("mnist-test", 40);
        await first.CheckpointAsync("mnist-test", CheckpointReason.Operator).WaitAsync(Timeout);
        var restartedTarget = new FakeCheckpointTarget(_time);
        CheckpointService restarted = CreateService(target: restartedTarget);

        IReadOnlyList<ShardCheckpoint> restored = restarted.RestoreAll();

        Assert.Equal(40, Assert.Single(restored).Version);
        Assert.Equal(40, Assert.Single(restartedTarget.Restored).Version);
        CheckpointStatus status = restarted.GetStatus("mnist-test");
        Assert.True(status.Restored);
        Assert.Equal(40, status.RestoredVersion);
        Assert.Equal(40, status.LastVersion);
        Assert.Equal(0, status.Written);
        Assert.Single(_logs.WithEventId(3003));
    }

    [Fact]
    public async Task CheckpointAsync_UnknownJob_ReturnsNull()
    {
        CheckpointService service = CreateService();

        Assert.Null(await service.CheckpointAsync("absent", CheckpointReason.Operator).WaitAsync(Timeout));
    }

    [Fact]
    public async Task CheckpointAsync_Disabled_Throws()
    {
        var service = new CheckpointService(new ShardOptions { Index = 1, Count = 2 }, _target, _time, _logs);
        _target.SetVersion("mnist-test", 1);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => service.CheckpointAsync("mnist-test", CheckpointReason.Operator).WaitAsync(Timeout));
        Assert.Empty(service.RestoreAll());
        Assert.False(service.GetStatus("mnist-test").HasCheckpoint);
        Assert.Single(_logs.WithEventId(3008));
    }

    [Fact]
    public async Task HostedService_Stop_WritesShutdownCheckpoint()
    {
        CheckpointService service = CreateService();
        using var hosted = new CheckpointHostedService(service);
        await hosted.StartingAsync(CancellationToken.None).WaitAsync(Timeout);
        await hosted.StartedAsync(CancellationToken.None).WaitAsync(Timeout);
        _target.SetVersion("mnist-test", 77);

        await hosted.StopAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([77L], service.Store!.List("mnist-test").Select(f => f.Version));
        Assert.Contains("reason Shutdown", Assert.Single(_logs.WithEventId(3000)).Message);
    }

    [Fact]
    public async Task CheckpointRpc_Disabled_FailedPrecondition()
    {
        var service = new CheckpointService(new ShardOptions { Index = 1, Count = 2 }, _target, _time, _logs);
        _target.SetVersion("mnist-test", 1);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => ((ICheckpointService)service).CheckpointAsync("mnist-test", CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Shard:CheckpointDirectory", error.Status.Detail);
        Assert.Null(((ICheckpointService)service).GetStatus("mnist-test"));
    }

    [Fact]
    public async Task CheckpointRpc_UnknownJob_NotFound()
    {
        CheckpointService service = CreateService();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => ((ICheckpointService)service).CheckpointAsync("absent", CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task CheckpointRpc_Job_ReturnsPathVersionBytes()
    {
        CheckpointService service = CreateService();
        _target.SetVersion("mnist-test", 8);

        CheckpointResponse response = await ((ICheckpointService)service)
            .CheckpointAsync("mnist-test", CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(8, response.Version);
        Assert.Equal(new FileInfo(response.Path).Length, response.Bytes);
    }

    private CheckpointService CreateService(
        long everySteps = 0,
        double everySeconds = 0,
        FakeCheckpointTarget? target = null)
    {
        var options = new ShardOptions
        {
            Index = 1,
            Count = 2,
            CheckpointDirectory = _directory.Path,
            CheckpointEverySteps = everySteps,
            CheckpointEverySeconds = everySeconds,
            CheckpointKeep = 3,
        };
        return new CheckpointService(options, target ?? _target, _time, _logs);
    }
}
