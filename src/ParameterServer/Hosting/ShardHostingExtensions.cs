using System.Net;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ParamServer.Server.Checkpoints;
using ParamServer.Server.Jobs;
using ParamServer.Server.Membership;
using ParamServer.Server.Transport.Services;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Wiring of a shard into an ASP.NET Core host: <see cref="AddParameterShard"/> registers options, services and the
/// Kestrel listener, <see cref="MapParameterShard"/> maps the gRPC services. Security and metrics add themselves
/// between the two calls (interceptors through <c>GrpcServiceOptions</c>, listeners through
/// <see cref="ShardEndpointOptions"/>).
/// </summary>
public static class ShardHostingExtensions
{
    /// <summary>Largest gRPC message the shard accepts or sends: one maximal chunk plus framing, 4 MiB.</summary>
    public const int MaxMessageBytes = ParamServer.Transport.FloatPayload.MaxChunkBytes + 64 * 1024;

    /// <summary>
    /// Registers the shard: <see cref="ShardOptions"/> bound from <c>Shard</c> and validated on start, the job
    /// registry, the gRPC services with health and reflection, the eviction sweeper and the HTTP/2 listener.
    /// </summary>
    public static WebApplicationBuilder AddParameterShard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        services.AddOptions<ShardOptions>()
            .Bind(builder.Configuration.GetSection(ShardOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShardOptions>, ShardOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<ShardOptions>, ShardIndexFromHostname>();
        services.AddOptions<ShardEndpointOptions>();
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(
                builder.Configuration.GetValue($"{ShardOptions.SectionName}:ShutdownTimeoutSeconds", 20.0)));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobComponentFactory, DefaultJobComponentFactory>();
        services.AddSingleton<JobRegistry>();
        services.AddSingleton<ShardEndpoint>();
        services.AddSingleton<HealthServiceImpl>();
        services.AddShardCheckpoints();
        services.AddHostedService<ShardLifecycleService>();
        services.AddHostedService<EvictionSweeper>();

        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxMessageBytes;
            grpc.MaxSendMessageSize = MaxMessageBytes;
        });
        services.AddGrpcReflection();

        // ASP.NET Core logs several Information lines per RPC, which drowns the shard's own messages; keep its
        // warnings unless the configuration sets Logging:LogLevel:Microsoft.AspNetCore itself.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        return builder;
    }

    /// <summary>Maps the data-plane, operator, health and reflection services.</summary>
    public static WebApplication MapParameterShard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<ParameterShardService>();
        app.MapGrpcService<ShardOperatorService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        ShardOptions options = kestrel.ApplicationServices.GetRequiredService<IOptions<ShardOptions>>().Value;
        ShardEndpointOptions endpoint = kestrel.ApplicationServices.GetRequiredService<IOptions<ShardEndpointOptions>>().Value;
        ShardEndpoint bound = kestrel.ApplicationServices.GetRequiredService<ShardEndpoint>();
        bound.UsesTls = !string.IsNullOrEmpty(options.Tls.CertificatePath);

        // Weights travel as many 1 MiB messages; windows larger than the defaults keep a loopback or LAN link busy
        // instead of waiting for WINDOW_UPDATE frames after every megabyte.
        kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
        kestrel.Limits.MaxRequestBodySize = null;

        kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            bound.GrpcListener = listen;
            foreach (Action<ListenOptions, ShardOptions> configure in endpoint.ConfigureGrpcEndpoint)
            {
                configure(listen, options);
            }
        });

        foreach (Action<KestrelServerOptions, ShardOptions> configure in endpoint.ConfigureServer)
        {
            configure(kestrel, options);
        }
    }
}
