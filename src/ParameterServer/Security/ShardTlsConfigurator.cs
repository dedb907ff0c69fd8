using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using ParamServer.Server.Hosting;

namespace ParamServer.Server.Security;

/// <summary>
/// Loads the PEM certificate, key and client CA bundle of <see cref="ShardTlsOptions"/> once and applies them to
/// Kestrel endpoints: TLS 1.2 or later, and with a client CA a required client certificate that must chain to it.
/// </summary>
internal sealed class ShardTlsConfigurator
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2 _serverCertificate;
    private readonly X509Certificate2Collection? _clientCas;
    private readonly ILogger _logger;

    public ShardTlsConfigurator(ShardTlsOptions options, ILogger logger)
    {
        if (string.IsNullOrEmpty(options.CertificatePath) || string.IsNullOrEmpty(options.KeyPath))
        {
            throw new ArgumentException(
                "Shard:Tls:CertificatePath and Shard:Tls:KeyPath are required.", nameof(options));
        }

        _logger = logger;
        _serverCertificate = LoadServerCertificate(options.CertificatePath, options.KeyPath);
        if (!string.IsNullOrEmpty(options.ClientCaPath))
        {
            _clientCas = new X509Certificate2Collection();
            _clientCas.ImportFromPemFile(options.ClientCaPath);
            if (_clientCas.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Shard:Tls:ClientCaPath '{options.ClientCaPath}' contains no PEM certificate; "
                    + "expected at least one CA.");
            }
        }
    }

    /// <summary>The certificate the shard presents.</summary>
    public X509Certificate2 ServerCertificate => _serverCertificate;

    /// <summary>Whether client certificates are required.</summary>
    public bool MutualTls => _clientCas is not null;

    /// <summary>Makes <paramref name="listen"/> serve TLS with the configured certificate and client policy.</summary>
    public void Apply(ListenOptions listen) => listen.UseHttps(CreateHttpsOptions());

    /// <summary>Creates the Kestrel HTTPS options; exposed separately so that tests can inspect them.</summary>
    public HttpsConnectionAdapterOptions CreateHttpsOptions()
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = _serverCertificate,
            SslProtocols = System.Security.Authentication.SslProtocols.Tls12
                | System.Security.Authentication.SslProtocols.Tls13,
            ClientCertificateMode = MutualTls
                ? ClientCertificateMode.RequireCertificate
                : ClientCertificateMode.NoCertificate,
        };
        if (MutualTls)
        {
            https.ClientCertificateValidation = ValidateClientCertificate;
        }

        return https;
    }

    /// <summary>
    /// Validates a client certificate against the configured CAs only, ignoring the machine's trust store, and
    /// requires the client-authentication extended key usage when the certificate lists usages.
    /// </summary>
    internal bool ValidateClientCertificate(X509Certificate2 certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCas!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(certificate))
        {
            return true;
        }

        var reason = string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()));
        SecurityLog.ClientCertificateRejected(_logger, certificate.Subject, certificate.Thumbprint, null,
            reason.Length == 0 ? "the certificate does not chain to Shard:Tls:ClientCaPath" : reason);
        return false;
    }

    private static X509Certificate2 LoadServerCertificate(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        if (!pem.HasPrivateKey)
        {
            throw new InvalidOperationException(
                $"Shard:Tls:KeyPath '{keyPath}' does not contain the private key of '{certificatePath}'.");
        }

        // A PKCS#12 round trip gives the certificate a persisted key, which SslStream requires on some platforms.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
