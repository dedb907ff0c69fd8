using Microsoft.Extensions.Options;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Starts a shard inside the calling process, for tests and embedding: the same services and listener as the
/// ParameterServer executable, with options given as an object instead of configuration.
/// </summary>
public static class ShardHost
{
    /// <summary>
    /// Builds and starts a shard with <paramref name="options"/> (they replace whatever the configuration holds) and
    /// returns once it listens. <paramref name="configure"/> runs on the builder after the shard services are
    /// registered, to replace services such as <see cref="TimeProvider"/> or to adjust logging.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each failure.</exception>
    public static async Task<RunningShard> StartAsync(
        ShardOptions options,
        Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddParameterShard();
        builder.Services.Configure<ShardOptions>(target => options.CopyTo(target));
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.MapParameterShard();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            string address = await app.Services.GetRequiredService<ShardEndpoint>().Address
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return new RunningShard(app, address);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
