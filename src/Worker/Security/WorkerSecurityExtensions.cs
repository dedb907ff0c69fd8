using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ParamServer.Worker.Security;

/// <summary>Registers the worker's TLS client settings for its shard channels.</summary>
public static class WorkerSecurityExtensions
{
    /// <summary>
    /// Binds <see cref="WorkerSecurityOptions"/> from the <c>Worker</c> section and, when <c>Worker:Tls</c> names a
    /// CA or a client certificate, registers a <see cref="ShardChannelFactory"/> and the
    /// <c>Func&lt;Uri, GrpcChannel&gt;</c> that the worker's shard clients create their channels with. Without TLS
    /// settings nothing is replaced and the clients keep their own plain-text channels.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WorkerSecurityOptions.SectionName);
        builder.Services.AddOptions<WorkerSecurityOptions>().Bind(section);

        var tls = section.GetSection(nameof(WorkerSecurityOptions.Tls)).Get<WorkerTlsOptions>();
        if (tls is null || (string.IsNullOrWhiteSpace(tls.CaPath) && string.IsNullOrWhiteSpace(tls.CertificatePath)))
        {
            return builder;
        }

        builder.Services.TryAddSingleton(provider =>
            new ShardChannelFactory(provider.GetRequiredService<IOptions<WorkerSecurityOptions>>().Value));
        builder.Services.TryAddSingleton<Func<Uri, GrpcChannel>>(provider =>
            provider.GetRequiredService<ShardChannelFactory>().CreateChannel);
        return builder;
    }
}
