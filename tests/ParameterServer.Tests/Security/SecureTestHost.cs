using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ParamServer.Server.Hosting;
using ParamServer.Server.Security;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Security;

/// <summary>
/// A real shard on 127.0.0.1 port 0 with <see cref="ShardSecurityExtensions.AddShardSecurity"/> added, as the
/// ParameterServer executable adds it, and every log message captured.
/// </summary>
internal sealed class SecureTestHost : IAsyncDisposable
{
    private readonly RunningShard _shard;

    private SecureTestHost(RunningShard shard, CapturingLoggerProvider logs)
    {
        _shard = shard;
        Logs = logs;
        Addresses = shard.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address))
            .ToList();
    }

    /// <summary>The gRPC endpoint the shard reports, such as <c>https://127.0.0.1:43211</c>.</summary>
    public Uri GrpcAddress => new(_shard.Address);

    /// <summary>Every bound address in declaration order: the gRPC endpoint, then the health endpoint if any.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public CapturingLoggerProvider Logs { get; }

    public RunningShard Shard => _shard;

    public static async Task<SecureTestHost> StartAsync(
        Action<ShardOptions>? configure = null,
        Action<ShardSecurityOptions>? security = null,
        TimeProvider? time = null)
    {
        var logs = new CapturingLoggerProvider();
        var shard = await ShardTestHost.StartAsync(configure, time, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            builder.AddShardSecurity();
            if (security is not null)
            {
                builder.Services.Configure(security);
            }
        });
        return new SecureTestHost(shard, logs);
    }

    public ValueTask DisposeAsync() => _shard.DisposeAsync();
}
