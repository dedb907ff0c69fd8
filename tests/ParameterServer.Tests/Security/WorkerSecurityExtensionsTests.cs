using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParamServer.Worker.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class WorkerSecurityExtensionsTests : IDisposable
{
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void AddWorkerSecurity_WithCa_RegistersChannelFactory()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Worker:Tls:CaPath"] = _pki.CaPath,
            ["Worker:Tls:CertificatePath"] = _pki.ClientCertificatePath,
            ["Worker:Tls:KeyPath"] = _pki.ClientKeyPath,
            ["Worker:AuthToken"] = "t",
        });

        var createChannel = host.Services.GetService<Func<Uri, GrpcChannel>>();

        Assert.NotNull(createChannel);
        using var channel = createChannel(new Uri("https://localhost:1"));
        Assert.Equal("localhost:1", channel.Target);
    }

    [Fact]
    public void AddWorkerSecurity_WithoutTls_LeavesChannelsAlone()
    {
        using var host = Build(new Dictionary<string, string?> { ["Worker:AuthToken"] = "t" });

        Assert.Null(host.Services.GetService<Func<Uri, GrpcChannel>>());
        Assert.Null(host.Services.GetService<ShardChannelFactory>());
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkerSecurity();
        return builder.Build();
    }
}
