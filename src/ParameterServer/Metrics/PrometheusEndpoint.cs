using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace ParamServer.Metrics;

/// <summary>
/// A small Kestrel server of its own that serves <c>GET /metrics</c> (Prometheus text format from the OpenTelemetry
/// exporter) and <c>GET /healthz</c> over plain HTTP/1.1. It is separate from the gRPC host, so neither TLS, the
/// operator token nor the gRPC limits apply to scrapes, and the port can be firewalled on its own.
/// </summary>
/// <remarks>This file is compiled into both the shard and the worker.</remarks>
internal sealed class PrometheusEndpoint : IAsyncDisposable
{
    /// <summary>Path of the scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Path of the liveness endpoint, which returns 200 and <c>ok</c> while the process serves
    /// requests.</summary>
    public const string HealthPath = "/healthz";

    private readonly WebApplication _app;

    private PrometheusEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address, such as <c>http://127.0.0.1:9464/</c>; the real port when 0 was requested.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving on <paramref name="address"/>:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<PrometheusEndpoint> StartAsync(
        MeterProvider meterProvider,
        IPAddress address,
        int port,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meterProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(port);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddOptions();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == HealthPath)
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider, predicate: null, path: MetricsPath, configureBranchedPipeline: null, optionsName: null);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new PrometheusEndpoint(app, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)));
    }

    /// <summary>Stops the server, letting in-flight scrapes finish within the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
