using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ParamServer.Server.Tests.Security;

/// <summary>
/// A throw-away PKI written as PEM files to a temporary folder: a CA, a server certificate for 127.0.0.1 and
/// localhost, a client certificate from the same CA, and a client certificate from an unrelated CA.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("paramserver-tls-").FullName;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateAuthority("ParamServer Test CA", caKey);
        CaPath = WriteCertificate("ca.pem", ca);

        (ServerCertificatePath, ServerKeyPath) = Issue(ca, "shard-0", "server", ServerAuthentication, subjectAltNames: true);
        (ClientCertificatePath, ClientKeyPath) = Issue(ca, "worker-1", "client", ClientAuthentication, subjectAltNames: false);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = CreateAuthority("Unrelated CA", otherKey);
        OtherCaPath = WriteCertificate("other-ca.pem", other);
        (RogueClientCertificatePath, RogueClientKeyPath) =
            Issue(other, "intruder", "rogue", ClientAuthentication, subjectAltNames: false);
    }

    public string Folder { get; }

    public string CaPath { get; }

    public string OtherCaPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    public string ClientCertificatePath { get; }

    public string ClientKeyPath { get; }

    public string RogueClientCertificatePath { get; }

    public string RogueClientKeyPath { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static X509Certificate2 CreateAuthority(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private (string CertificatePath, string KeyPath) Issue(
        X509Certificate2 issuer,
        string commonName,
        string fileStem,
        Oid usage,
        bool subjectAltNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { usage }, false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, false));
        if (subjectAltNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(issuer, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        var certificatePath = WriteCertificate($"{fileStem}.pem", certificate);
        var keyPath = Path.Combine(Folder, $"{fileStem}-key.pem");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private string WriteCertificate(string fileName, X509Certificate2 certificate)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
