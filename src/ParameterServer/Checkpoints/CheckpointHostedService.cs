namespace ParamServer.Server.Checkpoints;

/// <summary>
/// Runs the checkpoint policy with the host. Restores in <see cref="StartingAsync"/>, which runs before the shard
/// creates the job of Shard:JobFile and before Kestrel accepts requests; runs the step and interval triggers while
/// the host runs; and checkpoints every job in <see cref="StopAsync"/>, which is how SIGTERM (as Kubernetes sends
/// it) or Ctrl+C arrives. The shard closes its jobs in its own stopping step, so the stop checkpoint contains the final
/// state. It must finish within Shard:ShutdownTimeoutSeconds.
/// </summary>
internal sealed class CheckpointHostedService(CheckpointService checkpoints) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loops = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        checkpoints.RestoreAll();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _loops = Task.WhenAll(
            checkpoints.RunIntervalLoopAsync(_stopping.Token),
            checkpoints.RunStepLoopAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        await checkpoints.CheckpointAllAsync(CheckpointReason.Shutdown, cancellationToken).ConfigureAwait(false);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();
}
