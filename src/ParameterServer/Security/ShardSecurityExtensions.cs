using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ParamServer.Server.Metrics;

namespace ParamServer.Server.Security;

/// <summary>Registers the shard's transport security, operator authentication and server limits.</summary>
public static class ShardSecurityExtensions
{
    /// <summary>
    /// Binds <see cref="ShardSecurityOptions"/> from the <c>Shard</c> section and validates it at start-up; serves
    /// TLS (and mutual TLS) on every Kestrel endpoint of the host when a certificate is configured; requires the
    /// bearer token on the state-changing operator calls; declares the plain-text health endpoint when
    /// <c>Shard:HealthPort</c> is set; and applies the message size, stream and call duration
    /// limits. Call it before the host declares its Kestrel endpoints.
    /// </summary>
    public static WebApplicationBuilder AddShardSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<ShardSecurityOptions>()
            .Bind(builder.Configuration.GetSection(ShardSecurityOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ShardSecurityOptions>, ShardSecurityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShardMetrics>();
        services.TryAddSingleton<HealthOnlyInterceptor>();
        services.TryAddSingleton<OperatorAuthInterceptor>();
        services.TryAddSingleton<CallDurationInterceptor>();

        // Kestrel applies endpoint defaults only to endpoints declared after them, so this setup runs first.
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, ShardKestrelSecuritySetup>());

        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<HealthOnlyInterceptor>();
            grpc.Interceptors.Add<OperatorAuthInterceptor>();
            grpc.Interceptors.Add<CallDurationInterceptor>();
        });
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<ShardSecurityOptions>>((grpc, security) =>
        {
            grpc.MaxReceiveMessageSize = security.Value.MaxMessageBytes;
            grpc.MaxSendMessageSize = security.Value.MaxMessageBytes;
        });

        return builder;
    }
}
