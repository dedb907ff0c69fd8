using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace ParamServer.Worker.Security;

/// <summary>
/// Creates gRPC channels to shards with the worker's transport security: a private CA to validate shard
/// certificates, a client certificate for mutual TLS, a bearer token on every call, and the message size limit.
/// The certificates are loaded once, when the factory is created.
/// </summary>
public sealed class ShardChannelFactory : IDisposable
{
    /// <summary>Default <see cref="GrpcChannelOptions.MaxReceiveMessageSize"/>, equal to the shard's default
    /// limit.</summary>
    public const int DefaultMaxMessageBytes = 8 * 1024 * 1024;

    private readonly X509Certificate2Collection? _trustedCas;
    private readonly X509Certificate2? _clientCertificate;
    private readonly string? _authToken;
    private readonly int _maxMessageBytes;

    /// <summary>Loads the configured PEM files; fails with a message naming the option when a file is
    /// unusable.</summary>
    public ShardChannelFactory(WorkerTlsOptions tls, string? authToken, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        _authToken = string.IsNullOrEmpty(authToken) ? null : authToken;
        _maxMessageBytes = maxMessageBytes;

        if (!string.IsNullOrWhiteSpace(tls.CaPath))
        {
            _trustedCas = new X509Certificate2Collection();
            _trustedCas.ImportFromPemFile(tls.CaPath);
            if (_trustedCas.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Worker:Tls:CaPath '{tls.CaPath}' contains no PEM certificate; expected at least one CA.");
            }
        }

        if (!string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            if (string.IsNullOrWhiteSpace(tls.KeyPath))
            {
                throw new InvalidOperationException(
                    "Worker:Tls:KeyPath is missing; it is required when Worker:Tls:CertificatePath is set.");
            }

            using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
            // A PKCS#12 round trip gives the key the persisted form SslStream needs for client authentication.
            _clientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }

    /// <summary>Loads the PEM files of <paramref name="options"/>; see the main constructor.</summary>
    public ShardChannelFactory(WorkerSecurityOptions options)
        : this(
            options?.Tls ?? throw new ArgumentNullException(nameof(options)),
            options.AuthToken,
            options.MaxMessageBytes)
    {
    }

    /// <summary>
    /// Creates a channel to <paramref name="endpoint"/> (<c>http://host:port</c> for plain HTTP/2,
    /// <c>https://host:port</c> for TLS). A configured token is sent on plain channels too, because a trusted
    /// network without TLS is a supported set-up; it then travels unencrypted.
    /// </summary>
    public GrpcChannel CreateChannel(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            if (_trustedCas is not null)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = ValidateShardCertificate;
            }

            if (_clientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = new X509CertificateCollection { _clientCertificate };
            }
        }

        var options = new GrpcChannelOptions
        {
            HttpHandler = _authToken is null ? handler : new BearerTokenHandler(_authToken, handler),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = _maxMessageBytes,
            MaxSendMessageSize = _maxMessageBytes,
        };
        return GrpcChannel.ForAddress(endpoint, options);
    }

    /// <inheritdoc cref="CreateChannel(Uri)"/>
    public GrpcChannel CreateChannel(string endpoint) => CreateChannel(new Uri(endpoint, UriKind.Absolute));

    public void Dispose() => _clientCertificate?.Dispose();

    /// <summary>
    /// Accepts a shard certificate that matches the host name and chains to one of the configured CAs only, so a
    /// certificate from a public CA is not accepted in place of the cluster's own.
    /// </summary>
    private bool ValidateShardCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? presented,
        SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
            || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedCas!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }
}
