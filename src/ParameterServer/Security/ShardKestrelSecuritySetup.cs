using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ParamServer.Server.Security;

/// <summary>
/// Applies TLS and the HTTP/2 stream limit to every Kestrel endpoint of the shard host. It is registered ahead of
/// every other Kestrel setup, because endpoint defaults reach only the endpoints declared after them.
/// </summary>
internal sealed class ShardKestrelSecuritySetup : IConfigureOptions<KestrelServerOptions>
{
    private readonly IOptions<ShardSecurityOptions> _options;
    private readonly ILoggerFactory _loggerFactory;

    public ShardKestrelSecuritySetup(IOptions<ShardSecurityOptions> options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
    }

    public void Configure(KestrelServerOptions kestrel)
    {
        var options = _options.Value;
        var logger = _loggerFactory.CreateLogger<ShardKestrelSecuritySetup>();

        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        SecurityLog.LimitsConfigured(logger, options.MaxMessageBytes, options.MaxStreamsPerConnection,
            options.MaxCallSeconds, !string.IsNullOrEmpty(options.AuthToken));
        if (string.IsNullOrEmpty(options.AuthToken))
        {
            SecurityLog.AuthTokenMissing(logger);
        }

        if (options.HealthPort >= 0)
        {
            DeclareHealthEndpoint(kestrel, options, logger);
        }

        if (!options.Tls.Enabled)
        {
            SecurityLog.TlsDisabled(logger);
            return;
        }

        var tls = new ShardTlsConfigurator(options.Tls, logger);
        SecurityLog.TlsEnabled(logger, tls.ServerCertificate.Subject, tls.ServerCertificate.Thumbprint, tls.MutualTls);
        kestrel.ConfigureEndpointDefaults(tls.Apply);
    }

    /// <summary>
    /// Declares the plain-text health endpoint. It is declared before the TLS endpoint defaults are set, so they do
    /// not reach it, and each of its connections is marked for <see cref="HealthOnlyInterceptor"/>.
    /// </summary>
    private static void DeclareHealthEndpoint(KestrelServerOptions kestrel, ShardSecurityOptions options, ILogger logger)
    {
        kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.HealthPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                connection.Items[HealthOnlyEndpoint.ConnectionItemKey] = true;
                return next(connection);
            });
        });
        SecurityLog.HealthEndpointDeclared(logger, options.ListenAddress, options.HealthPort);
    }
}
