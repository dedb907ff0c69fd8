using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ParamServer.Protocol.V1;
using ParamServer.Server.Metrics;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Security;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task HealthPort_UnderTls_ServesPlainText()
    {
        await using var host = await StartAsync();
        using var channel = GrpcChannel.ForAddress(HealthAddress(host));
        var client = new Health.HealthClient(channel);

        var reply = await client.CheckAsync(new HealthCheckRequest { Service = "paramserver.v1.ParameterShard" },
            deadline: ShardClient.Deadline);

        Assert.Equal(2, host.Addresses.Count);
        Assert.Equal("https", host.GrpcAddress.Scheme);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task HealthPort_OperatorCall_PermissionDenied()
    {
        await using var host = await StartAsync();
        using var channel = GrpcChannel.ForAddress(HealthAddress(host));
        var client = new ShardOperator.ShardOperatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetStatusAsync(new StatusRequest(),
            deadline: ShardClient.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("Shard:HealthPort", error.Status.Detail);
    }

    [Fact]
    public async Task Probe_HealthPort_ReturnsZero()
    {
        await using var host = await StartAsync();
        var output = new StringWriter();

        var exitCode = await ShardHealthProbe.RunAsync(
            [ShardHealthProbe.Switch, $"--Shard:HealthPort={HealthAddress(host).Port}"], output, TestTimeouts.Default);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Serving", output.ToString());
    }

    [Fact]
    public async Task Probe_TlsPort_ReturnsZero()
    {
        await using var host = await SecureTestHost.StartAsync(options =>
        {
            options.Tls.CertificatePath = _pki.ServerCertificatePath;
            options.Tls.KeyPath = _pki.ServerKeyPath;
        });
        var output = new StringWriter();

        var exitCode = await ShardHealthProbe.RunAsync(
        [
            ShardHealthProbe.Switch,
            $"--Shard:Port={host.GrpcAddress.Port}",
            $"--Shard:Tls:CertificatePath={_pki.ServerCertificatePath}",
            $"--Shard:Tls:KeyPath={_pki.ServerKeyPath}",
        ], output, TestTimeouts.Default);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Probe_NothingListening_ReturnsOne()
    {
        int freePort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            freePort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var output = new StringWriter();
        var exitCode = await ShardHealthProbe.RunAsync(
            [ShardHealthProbe.Switch, $"--Shard:Port={freePort}"], output, TimeSpan.FromSeconds(5));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("NOT_SERVING", output.ToString());
    }

    private Task<SecureTestHost> StartAsync() => SecureTestHost.StartAsync(
        options =>
        {
            options.Tls.CertificatePath = _pki.ServerCertificatePath;
            options.Tls.KeyPath = _pki.ServerKeyPath;
        },
        security => security.HealthPort = 0);

    private static Uri HealthAddress(SecureTestHost host) => host.Addresses[1];
}
