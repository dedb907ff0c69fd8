namespace ParamServer.Server.Hosting;

/// <summary>TLS settings of the shard's gRPC endpoint, bound from <c>Shard:Tls</c>.</summary>
public sealed class ShardTlsOptions
{
    /// <summary>PEM certificate of the shard. Default unset: plain HTTP/2 (h2c) for trusted networks.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key matching <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PEM bundle of the CA that signs client certificates; when set, clients must present one (mTLS).</summary>
    public string? ClientCaPath { get; set; }
}
