using Grpc.Core;
using Grpc.Health.V1;
using ParamServer.Server.Tests.Infrastructure;
using ParamServer.Server.Hosting;
using ParamServer.Worker.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class TlsTests : IDisposable
{
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Tls_ClientTrustingCa_Connects()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: false));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions { CaPath = _pki.CaPath }, authToken: null);

        var status = await CheckHealthAsync(factory, HttpsAddress(host));

        Assert.Equal("https", host.GrpcAddress.Scheme);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Tls_ClientTrustingOtherCa_Rejected()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: false));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions { CaPath = _pki.OtherCaPath }, authToken: null);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckHealthAsync(factory, HttpsAddress(host)));

        AssertConnectionFailed(error);
    }

    [Fact]
    public async Task Tls_PlainTextClient_Rejected()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: false));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions(), authToken: null);
        var plain = new UriBuilder(host.GrpcAddress) { Scheme = "http", Host = "127.0.0.1" }.Uri;

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckHealthAsync(factory, plain));

        AssertConnectionFailed(error);
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromCa_Connects()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: true));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions
        {
            CaPath = _pki.CaPath,
            CertificatePath = _pki.ClientCertificatePath,
            KeyPath = _pki.ClientKeyPath,
        }, authToken: null);

        var status = await CheckHealthAsync(factory, HttpsAddress(host));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task MutualTls_NoClientCertificate_Rejected()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: true));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions { CaPath = _pki.CaPath }, authToken: null);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckHealthAsync(factory, HttpsAddress(host)));

        AssertConnectionFailed(error);
    }

    [Fact]
    public async Task MutualTls_OtherCaClient_Rejected()
    {
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: true));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions
        {
            CaPath = _pki.CaPath,
            CertificatePath = _pki.RogueClientCertificatePath,
            KeyPath = _pki.RogueClientKeyPath,
        }, authToken: null);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckHealthAsync(factory, HttpsAddress(host)));

        AssertConnectionFailed(error);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 4002 && entry.Message.Contains("CN=intruder"));
    }

    [Fact]
    public async Task MutualTls_ServerOnlyUsage_Rejected()
    {
        // The test server certificate lists only the server-authentication usage.
        await using var host = await SecureTestHost.StartAsync(options => UseTls(options, mutual: true));
        using var factory = new ShardChannelFactory(new WorkerTlsOptions
        {
            CaPath = _pki.CaPath,
            CertificatePath = _pki.ServerCertificatePath,
            KeyPath = _pki.ServerKeyPath,
        }, authToken: null);

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckHealthAsync(factory, HttpsAddress(host)));

        AssertConnectionFailed(error);
    }

    /// <summary>
    /// Asserts a failed TLS handshake. grpc-dotnet reports it as Unavailable or, for some TLS alerts, as Internal;
    /// either way no call reached the server.
    /// </summary>
    private static void AssertConnectionFailed(RpcException error)
    {
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("Error starting gRPC call", error.Status.Detail);
    }

    private void UseTls(ShardOptions options, bool mutual)
    {
        options.Tls.CertificatePath = _pki.ServerCertificatePath;
        options.Tls.KeyPath = _pki.ServerKeyPath;
        options.Tls.ClientCaPath = mutual ? _pki.CaPath : null;
    }

    /// <summary>The gRPC endpoint addressed by the name the server certificate carries.</summary>
    private static Uri HttpsAddress(SecureTestHost host) =>
        new UriBuilder(host.GrpcAddress) { Scheme = "https", Host = "localhost" }.Uri;

    private static async Task<HealthCheckResponse.Types.ServingStatus> CheckHealthAsync(
        ShardChannelFactory factory,
        Uri address)
    {
        using var channel = factory.CreateChannel(address);
        var client = new Health.HealthClient(channel);
        var reply = await client.CheckAsync(new HealthCheckRequest { Service = "paramserver.v1.ParameterShard" },
            deadline: DateTime.UtcNow + TestTimeouts.Default);
        return reply.Status;
    }
}
