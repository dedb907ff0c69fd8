using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>Registers the worker service, its validated options, progress output and logging.</summary>
public static class WorkerHostBuilderExtensions
{
    /// <summary>
    /// Binds and validates <see cref="WorkerOptions"/> from the "Worker" section, sends logs to standard error so that
    /// standard output carries only JSON progress lines, and adds <see cref="WorkerService"/>. Data sources and
    /// gradient engines registered before this call replace the defaults.
    /// </summary>
    public static IHostApplicationBuilder AddParamServerWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkerExitState>();
        services.TryAddSingleton<ITrainingProgress>(provider =>
            provider.GetRequiredService<IOptions<WorkerOptions>>().Value.Progress
                ? new JsonLinesProgress(Console.Out, provider.GetRequiredService<TimeProvider>())
                : new NullTrainingProgress());
        services.TryAddSingleton<IDataSourceFactory, DataSourceFactory>();
        services.TryAddSingleton<IGradientEngineFactory, GradientEngineFactory>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.AddHostedService<WorkerService>();
        return builder;
    }
}
