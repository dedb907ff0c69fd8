using System.Net;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ParamServer.Server.Security;

namespace ParamServer.Server.Tests.Security;

/// <summary>
/// A Kestrel gRPC host on 127.0.0.1 port 0 with <see cref="ShardSecurityExtensions.AddShardSecurity"/>, the gRPC
/// health service and <see cref="FakeOperatorService"/>; configuration comes only from the given settings.
/// </summary>
internal sealed class SecureTestHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private SecureTestHost(WebApplication app, CapturingLoggerProvider logs, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Logs = logs;
        Addresses = addresses;
    }

    /// <summary>Bound addresses in declaration order: the health endpoint first when one is configured.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The gRPC endpoint the host declared itself, as a shard host does.</summary>
    public Uri GrpcAddress => Addresses[^1];

    public CapturingLoggerProvider Logs { get; }

    public FakeOperatorService Operator => _app.Services.GetRequiredService<FakeOperatorService>();

    public IServiceProvider Services => _app.Services;

    public static async Task<SecureTestHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.AddShardSecurity();

        // Declared after the security setup, as the shard host declares its gRPC endpoint.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<FakeOperatorService>();
        var health = new HealthServiceImpl();
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus("paramserver.v1.ParameterShard", HealthCheckResponse.Types.ServingStatus.Serving);
        builder.Services.AddSingleton(health);

        var app = builder.Build();
        app.MapGrpcService<FakeOperatorService>();
        app.MapGrpcService<HealthServiceImpl>();
        await app.StartAsync().WaitAsync(Timeout);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address))
            .ToList();
        return new SecureTestHost(app, logs, addresses);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }
}
