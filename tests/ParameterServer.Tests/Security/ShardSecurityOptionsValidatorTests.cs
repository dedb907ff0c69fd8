using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;
using ParamServer.Server.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class ShardSecurityOptionsValidatorTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly ShardOptions _shard = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = Validator().Validate(null, new ShardSecurityOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_MessageBelowChunk_Fails()
    {
        _shard.ChunkBytes = 2 << 20;

        var result = Validator().Validate(null, new ShardSecurityOptions { MaxMessageBytes = 2 << 20 });

        Assert.True(result.Failed);
        Assert.Contains("Shard:MaxMessageBytes is 2097152; expected at least 2162688", result.FailureMessage);
        Assert.Contains("Shard:ChunkBytes (2097152)", result.FailureMessage);
    }

    [Theory]
    [InlineData(nameof(ShardSecurityOptions.MaxStreamsPerConnection), "Shard:MaxStreamsPerConnection is 0")]
    [InlineData(nameof(ShardSecurityOptions.MaxCallSeconds), "Shard:MaxCallSeconds is -1")]
    [InlineData(nameof(ShardSecurityOptions.HealthPort), "Shard:HealthPort is 70000")]
    public void Validate_LimitOutOfRange_FailsNamingOption(string property, string expected)
    {
        var options = new ShardSecurityOptions();
        switch (property)
        {
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

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Validate_HealthPortEqualsGrpcPort_Fails()
    {
        var result = Validator().Validate(null, new ShardSecurityOptions { HealthPort = _shard.Port });

        Assert.True(result.Failed);
        Assert.Contains("Shard:HealthPort is 50051", result.FailureMessage);
    }

    [Fact]
    public void TlsFiles_MissingCertificate_FailsNamingPath()
    {
        var missing = Path.Combine(_pki.Folder, "absent.pem");
        _shard.Tls.CertificatePath = missing;
        _shard.Tls.KeyPath = _pki.ServerKeyPath;

        var result = new ShardTlsFilesValidator().Validate(null, _shard);

        Assert.True(result.Failed);
        Assert.Contains($"Shard:Tls:CertificatePath is '{missing}'", result.FailureMessage);
        Assert.DoesNotContain("Shard:Tls:KeyPath", result.FailureMessage);
    }

    [Fact]
    public void TlsFiles_AllPresent_Succeeds()
    {
        _shard.Tls.CertificatePath = _pki.ServerCertificatePath;
        _shard.Tls.KeyPath = _pki.ServerKeyPath;
        _shard.Tls.ClientCaPath = _pki.CaPath;

        var result = new ShardTlsFilesValidator().Validate(null, _shard);

        Assert.True(result.Succeeded);
    }

    private ShardSecurityOptionsValidator Validator() => new(Options.Create(_shard));
}
