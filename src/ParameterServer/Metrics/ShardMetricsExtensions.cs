using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using ParamServer.Metrics;

namespace ParamServer.Server.Metrics;

/// <summary>Registers the shard's instruments and its Prometheus endpoint.</summary>
public static class ShardMetricsExtensions
{
    /// <summary>
    /// Registers <see cref="ShardMetrics"/> as a singleton, an OpenTelemetry meter provider that exports the
    /// <see cref="ShardMetrics.MeterName"/> meter (plus the ASP.NET Core and Kestrel meters) to Prometheus, and a
    /// hosted <see cref="PrometheusEndpointService"/> on <c>Shard:ListenAddress</c>:<c>Shard:MetricsPort</c>.
    /// </summary>
    public static WebApplicationBuilder AddShardMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<ShardMetricsOptions>()
            .Bind(builder.Configuration.GetSection(ShardMetricsOptions.SectionName))
            .Validate(options => options.MetricsPort is >= -1 and <= IPEndPoint.MaxPort,
                "Shard:MetricsPort must be -1 (disabled), 0 (any free port) or a TCP port up to 65535.")
            .Validate(options => IPAddress.TryParse(options.ListenAddress, out _),
                "Shard:ListenAddress must be an IPv4 or IPv6 address such as 0.0.0.0 or 127.0.0.1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShardMetrics>();

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ShardMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ShardMetricsOptions>>().Value;
            return new PrometheusEndpointService(
                provider.GetRequiredService<MeterProvider>(),
                provider.GetRequiredService<ILoggerFactory>(),
                IPAddress.Parse(options.ListenAddress),
                options.MetricsPort);
        });
        services.AddHostedService(provider => provider.GetRequiredService<PrometheusEndpointService>());
        return builder;
    }

    /// <summary>
    /// Returns the bound address of the Prometheus endpoint, such as <c>http://127.0.0.1:9464/</c>, once the host has
    /// started it, or null when <c>Shard:MetricsPort</c> is -1. Launchers and tests use it to find a port 0 endpoint.
    /// </summary>
    public static Task<Uri?> GetShardMetricsAddressAsync(this IServiceProvider services) =>
        services.GetRequiredService<PrometheusEndpointService>().BoundAddress;
}
