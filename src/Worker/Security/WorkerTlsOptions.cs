namespace ParamServer.Worker.Security;

/// <summary>
/// TLS settings a worker uses toward shards whose endpoints start with <c>https://</c> (configuration section
/// <c>Worker:Tls</c>). Endpoints with <c>http://</c> use plain HTTP/2 and ignore these settings.
/// </summary>
public sealed class WorkerTlsOptions
{
    /// <summary>
    /// PEM file with the CA certificates that shard certificates must chain to. Default: none, so the operating
    /// system's trust store decides.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>PEM file with the worker's client certificate, for shards that require mutual TLS. Default:
    /// none.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the private key of <see cref="CertificatePath"/>. Default: none.</summary>
    public string? KeyPath { get; set; }
}
