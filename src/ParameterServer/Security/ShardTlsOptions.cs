namespace ParamServer.Server.Security;

/// <summary>
/// Transport security of the shard's gRPC endpoints (configuration section <c>Shard:Tls</c>). With no certificate
/// configured the shard serves plain HTTP/2 (h2c), which is meant for trusted networks only.
/// </summary>
public sealed class ShardTlsOptions
{
    /// <summary>PEM file with the server certificate, optionally followed by its intermediates. Default: none.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the private key of <see cref="CertificatePath"/> (PKCS#8, PKCS#1 or SEC1). Default: none.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// PEM file with one or more CA certificates. When set, every client must present a certificate that chains to one
    /// of them (mutual TLS). Default: none, so client certificates are neither requested nor checked.
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Whether a server certificate is configured, so the gRPC endpoints serve TLS.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Whether client certificates are required and validated against <see cref="ClientCaPath"/>.</summary>
    public bool MutualTls => !string.IsNullOrWhiteSpace(ClientCaPath);
}
