using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using ParamServer.Metrics;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Metrics;

/// <summary>Registers the worker's instruments and its Prometheus endpoint.</summary>
public static class WorkerMetricsExtensions
{
    /// <summary>
    /// Registers <see cref="WorkerMetrics"/> as a singleton, records it from the registered
    /// <see cref="ITrainingProgress"/> (call this after <c>AddParamServerWorker</c>), an OpenTelemetry meter
    /// provider that exports the
    /// <see cref="WorkerMetrics.MeterName"/> meter (plus the gRPC client meter) to Prometheus, and a hosted endpoint
    /// on <c>Worker:MetricsListenAddress</c>:<c>Worker:MetricsPort</c>. A second call does nothing.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(PrometheusEndpointService)))
        {
            return builder;
        }

        services.AddOptions<WorkerMetricsOptions>()
            .Bind(builder.Configuration.GetSection(WorkerMetricsOptions.SectionName))
            .Validate(options => options.MetricsPort is >= -1 and <= IPEndPoint.MaxPort,
                "Worker:MetricsPort must be -1 (disabled), 0 (any free port) or a TCP port up to 65535.")
            .Validate(options => IPAddress.TryParse(options.MetricsListenAddress, out _),
                "Worker:MetricsListenAddress must be an IPv4 or IPv6 address such as 0.0.0.0 or 127.0.0.1.")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<WorkerMetrics>();
        DecorateProgress(services);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(WorkerMetrics.MeterName, "System.Net.Http", "System.Net.NameResolution")
            .AddPrometheusExporter());

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<WorkerMetricsOptions>>().Value;
            return new PrometheusEndpointService(
                provider.GetRequiredService<MeterProvider>(),
                provider.GetRequiredService<ILoggerFactory>(),
                IPAddress.Parse(options.MetricsListenAddress),
                options.MetricsPort);
        });
        services.AddHostedService(provider => provider.GetRequiredService<PrometheusEndpointService>());
        return builder;
    }

    /// <summary>Wraps the registered <see cref="ITrainingProgress"/> in a <see
    /// cref="MetricsTrainingProgress"/>.</summary>
    private static void DecorateProgress(IServiceCollection services)
    {
        var registered = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(ITrainingProgress));
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<ITrainingProgress>(provider => new MetricsTrainingProgress(
            (ITrainingProgress)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)),
            provider.GetRequiredService<WorkerMetrics>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>
    /// Returns the bound address of the Prometheus endpoint, such as <c>http://127.0.0.1:9465/</c>, once the host has
    /// started it, or null when <c>Worker:MetricsPort</c> is -1. Launchers and tests use it to find a port 0 endpoint.
    /// </summary>
    public static Task<Uri?> GetWorkerMetricsAddressAsync(this IServiceProvider services) =>
        services.GetRequiredService<PrometheusEndpointService>().BoundAddress;
}
