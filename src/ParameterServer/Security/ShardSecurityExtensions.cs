using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;
using ParamServer.Server.Metrics;

namespace ParamServer.Server.Security;

/// <summary>Registers the shard's transport security, operator authentication and server limits.</summary>
public static class ShardSecurityExtensions
{
    /// <summary>
    /// Serves TLS, and mutual TLS with a client CA, on the gRPC endpoint when <see cref="ShardOptions.Tls"/> names a
    /// certificate; requires <see cref="ShardOptions.AuthToken"/> on the state-changing operator calls; binds
    /// <see cref="ShardSecurityOptions"/> and applies its message size, stream, call duration limits and health-only
    /// endpoint. Call it after <see cref="ShardHostingExtensions.AddParameterShard"/>; a second call does nothing.
    /// </summary>
    public static WebApplicationBuilder AddShardSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(CallDurationInterceptor)))
        {
            return builder;
        }

        services.AddOptions<ShardSecurityOptions>()
            .Bind(builder.Configuration.GetSection(ShardSecurityOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ShardSecurityOptions>, ShardSecurityOptionsValidator>());
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ShardOptions>, ShardTlsFilesValidator>());
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<ShardEndpointOptions>, ShardEndpointSecuritySetup>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShardMetrics>();
        services.TryAddSingleton<HealthOnlyInterceptor>();
        services.TryAddSingleton<OperatorAuthInterceptor>();
        services.TryAddSingleton<CallDurationInterceptor>();

        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<HealthOnlyInterceptor>();
            grpc.Interceptors.Add<OperatorAuthInterceptor>();
            grpc.Interceptors.Add<CallDurationInterceptor>();
        });

        // Runs after the shard's own AddGrpc settings, so the configured limit replaces its default.
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<ShardSecurityOptions>>((grpc, security) =>
        {
            grpc.MaxReceiveMessageSize = security.Value.MaxMessageBytes;
            grpc.MaxSendMessageSize = security.Value.MaxMessageBytes;
        });

        return builder;
    }
}
