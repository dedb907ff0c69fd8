using Microsoft.Extensions.Hosting;

namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Runs the checkpoint policy with the host: restores at start (hosted services start before Kestrel accepts
/// requests), writes interval checkpoints while running and checkpoints every job when the host stops, which is
/// how SIGTERM from Kubernetes or Ctrl+C arrives. The stop checkpoint must finish within the host's shutdown
/// timeout (HostOptions.ShutdownTimeout, 30 seconds by default).
/// </summary>
public sealed class CheckpointHostedService(CheckpointService checkpoints) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        checkpoints.RestoreAll();
        _loop = checkpoints.RunIntervalLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        await checkpoints.CheckpointAllAsync(CheckpointReason.Shutdown, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
