namespace ParamServer.Server.Hosting;

/// <summary>A shard started by <see cref="ShardHost.StartAsync"/>; disposing it stops the shard gracefully.</summary>
public sealed class RunningShard : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningShard(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The endpoint clients dial, such as <c>http://127.0.0.1:43211</c>.</summary>
    public string Address { get; }

    /// <summary>The shard's services, for tests that inspect or replace state.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the host has stopped, whether by <see cref="StopAsync"/> or by the Shutdown RPC.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the shard, waiting for in-flight calls up to the shutdown timeout.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
