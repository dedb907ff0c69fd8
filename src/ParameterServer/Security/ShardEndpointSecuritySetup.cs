using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;

namespace ParamServer.Server.Security;

/// <summary>
/// Plugs TLS, the HTTP/2 stream limit and the health-only endpoint into the shard's Kestrel set-up through
/// <see cref="ShardEndpointOptions"/>.
/// </summary>
internal sealed class ShardEndpointSecuritySetup : IConfigureOptions<ShardEndpointOptions>
{
    private readonly IOptions<ShardSecurityOptions> _security;
    private readonly ILogger<ShardEndpointSecuritySetup> _logger;

    public ShardEndpointSecuritySetup(
        IOptions<ShardSecurityOptions> security,
        ILogger<ShardEndpointSecuritySetup> logger)
    {
        _security = security;
        _logger = logger;
    }

    public void Configure(ShardEndpointOptions endpoint)
    {
        endpoint.ConfigureGrpcEndpoint.Add(ConfigureGrpcEndpoint);
        endpoint.ConfigureServer.Add(ConfigureServer);
    }

    private void ConfigureGrpcEndpoint(ListenOptions listen, ShardOptions shard)
    {
        if (string.IsNullOrEmpty(shard.Tls.CertificatePath))
        {
            SecurityLog.TlsDisabled(_logger);
            return;
        }

        var tls = new ShardTlsConfigurator(shard.Tls, _logger);
        SecurityLog.TlsEnabled(_logger, tls.ServerCertificate.Subject, tls.ServerCertificate.Thumbprint, tls.MutualTls);
        tls.Apply(listen);
    }

    private void ConfigureServer(KestrelServerOptions kestrel, ShardOptions shard)
    {
        var security = _security.Value;
        kestrel.Limits.Http2.MaxStreamsPerConnection = security.MaxStreamsPerConnection;
        SecurityLog.LimitsConfigured(_logger, security.MaxMessageBytes, security.MaxStreamsPerConnection,
            security.MaxCallSeconds, !string.IsNullOrEmpty(shard.AuthToken));
        if (string.IsNullOrEmpty(shard.AuthToken))
        {
            SecurityLog.AuthTokenMissing(_logger);
        }

        if (security.HealthPort < 0)
        {
            return;
        }

        // Declared here, after the gRPC listener, so it never gets the TLS of that listener and the shard's
        // reported endpoint (the first bound address) stays the gRPC one.
        kestrel.Listen(IPAddress.Parse(shard.ListenAddress), security.HealthPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                connection.Items[HealthOnlyEndpoint.ConnectionItemKey] = true;
                return next(connection);
            });
        });
        SecurityLog.HealthEndpointDeclared(_logger, shard.ListenAddress, security.HealthPort);
    }
}
