using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using ParamServer.Metrics;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;

namespace ParamServer.Server.Metrics;

/// <summary>Registers the shard's instruments and its Prometheus endpoint.</summary>
public static class ShardMetricsExtensions
{
    /// <summary>
    /// Registers <see cref="ShardMetrics"/> as a singleton, the instruments that read the job status at scrape
    /// time, an OpenTelemetry meter provider that exports the
    /// <see cref="ShardMetrics.MeterName"/> meter (plus the ASP.NET Core and Kestrel meters) to Prometheus, and a
    /// hosted <see cref="PrometheusEndpointService"/> on <see cref="ShardOptions.ListenAddress"/> and
    /// <see cref="ShardOptions.MetricsPort"/>. Call it after <see
    /// cref="ShardHostingExtensions.AddParameterShard"/>; a second call does nothing.
    /// </summary>
    public static WebApplicationBuilder AddShardMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(PrometheusEndpointService)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShardMetrics>();
        services.TryAddSingleton<ShardStatusInstruments>();
        DecorateComponentFactory(services);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ShardMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ShardOptions>>().Value;

            // The status instruments exist from the first scrape on, because the endpoint creates them.
            provider.GetRequiredService<ShardStatusInstruments>();
            return new PrometheusEndpointService(
                provider.GetRequiredService<MeterProvider>(),
                provider.GetRequiredService<ILoggerFactory>(),
                IPAddress.Parse(options.ListenAddress),
                options.MetricsPort);
        });
        services.AddHostedService(provider => provider.GetRequiredService<PrometheusEndpointService>());
        return builder;
    }

    /// <summary>Wraps the registered <see cref="IJobComponentFactory"/> so that optimizer updates are timed.</summary>
    private static void DecorateComponentFactory(IServiceCollection services)
    {
        var registered = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(IJobComponentFactory));
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<IJobComponentFactory>(provider => new TimedJobComponentFactory(
            CreateRegistered(provider, registered), provider.GetRequiredService<ShardMetrics>()));
    }

    private static IJobComponentFactory CreateRegistered(IServiceProvider provider, ServiceDescriptor descriptor) =>
        (IJobComponentFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));

    /// <summary>
    /// Returns the bound address of the Prometheus endpoint, such as <c>http://127.0.0.1:9464/</c>, once the host has
    /// started it, or null when <c>Shard:MetricsPort</c> is -1. Launchers and tests use it to find a port 0 endpoint.
    /// </summary>
    public static Task<Uri?> GetShardMetricsAddressAsync(this IServiceProvider services) =>
        services.GetRequiredService<PrometheusEndpointService>().BoundAddress;
}
