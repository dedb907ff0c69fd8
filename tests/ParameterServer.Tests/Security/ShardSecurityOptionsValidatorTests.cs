using ParamServer.Server.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class ShardSecurityOptionsValidatorTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly ShardSecurityOptionsValidator _validator = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new ShardSecurityOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_CertificateWithoutKey_FailsNamingKeyPath()
    {
        var options = new ShardSecurityOptions { Tls = { CertificatePath = _pki.ServerCertificatePath } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Shard:Tls:KeyPath is missing", result.FailureMessage);
    }

    [Fact]
    public void Validate_MissingCertificateFile_FailsNamingPath()
    {
        var missing = Path.Combine(_pki.Folder, "absent.pem");
        var options = new ShardSecurityOptions { Tls = { CertificatePath = missing, KeyPath = _pki.ServerKeyPath } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"Shard:Tls:CertificatePath is '{missing}'", result.FailureMessage);
    }

    [Fact]
    public void Validate_ClientCaWithoutCertificate_Fails()
    {
        var options = new ShardSecurityOptions { Tls = { ClientCaPath = _pki.CaPath } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("mutual TLS needs a server certificate", result.FailureMessage);
    }

    [Theory]
    [InlineData(nameof(ShardSecurityOptions.MaxMessageBytes), "Shard:MaxMessageBytes is 1024")]
    [InlineData(nameof(ShardSecurityOptions.MaxStreamsPerConnection), "Shard:MaxStreamsPerConnection is 0")]
    [InlineData(nameof(ShardSecurityOptions.MaxCallSeconds), "Shard:MaxCallSeconds is -1")]
    [InlineData(nameof(ShardSecurityOptions.HealthPort), "Shard:HealthPort is 70000")]
    public void Validate_LimitOutOfRange_FailsNamingOption(string property, string expected)
    {
        var options = new ShardSecurityOptions();
        switch (property)
        {
            case nameof(ShardSecurityOptions.MaxMessageBytes):
                options.MaxMessageBytes = 1024;
                break;
            case nameof(ShardSecurityOptions.MaxStreamsPerConnection):
                options.MaxStreamsPerConnection = 0;
                break;
            case nameof(ShardSecurityOptions.MaxCallSeconds):
                options.MaxCallSeconds = -1;
                break;
            default:
                options.HealthPort = 70000;
                break;
        }

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Validate_FullTlsConfiguration_Succeeds()
    {
        var options = new ShardSecurityOptions
        {
            Tls =
            {
                CertificatePath = _pki.ServerCertificatePath,
                KeyPath = _pki.ServerKeyPath,
                ClientCaPath = _pki.CaPath,
            },
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
    }
}
