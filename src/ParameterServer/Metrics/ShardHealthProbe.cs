using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using ParamServer.Server.Hosting;
using ParamServer.Server.Security;

namespace ParamServer.Server.Metrics;

/// <summary>
/// The <c>--health-check</c> mode of the shard executable, used by the container's HEALTHCHECK and by exec probes:
/// it reads the same configuration as the shard (environment variables and command line), calls
/// <c>grpc.health.v1.Health/Check</c> for <see cref="ServiceName"/> on the local shard and exits with 0 when it is
/// SERVING and 1 otherwise. It prefers the plain-text health endpoint (<c>Shard:HealthPort</c>) when one is set;
/// otherwise it calls <c>Shard:Port</c>, over TLS when <c>Shard:Tls:CertificatePath</c> is set, accepting exactly
/// that certificate and, under mutual TLS, presenting it as its client certificate (so it must also carry the
/// client-authentication usage).
/// </summary>
public static class ShardHealthProbe
{
    /// <summary>The command-line switch that selects the probe.</summary>
    public const string Switch = "--health-check";

    /// <summary>The health service name the probe checks, which is the shard's data-plane service.</summary>
    public const string ServiceName = "paramserver.v1.ParameterShard";

    /// <summary>Whether <paramref name="args"/> contains <see cref="Switch"/>.</summary>
    public static bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.Ordinal);

    /// <summary>Runs the probe; returns the process exit code (0 healthy, 1 not).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeSpan timeout)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(argument => argument != Switch).ToArray())
            .Build();
        var section = configuration.GetSection(ShardOptions.SectionName);
        var shard = section.Get<ShardOptions>() ?? new ShardOptions();
        var security = section.Get<ShardSecurityOptions>() ?? new ShardSecurityOptions();

        var useHealthPort = security.HealthPort > 0;
        var useTls = !useHealthPort && !string.IsNullOrEmpty(shard.Tls.CertificatePath);
        var targetPort = useHealthPort ? security.HealthPort : shard.Port;
        if (targetPort <= 0)
        {
            await output.WriteLineAsync(
                $"NOT_SERVING: cannot probe port {targetPort}; set Shard:Port or Shard:HealthPort to a fixed port.");
            return 1;
        }

        var address = new Uri($"{(useTls ? "https" : "http")}://localhost:{targetPort}");
        try
        {
            using var handler = CreateHandler(useTls ? shard.Tls : null);
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
            var client = new Health.HealthClient(channel);
            var reply = await client.CheckAsync(new HealthCheckRequest { Service = ServiceName },
                deadline: DateTime.UtcNow + timeout);
            await output.WriteLineAsync($"{reply.Status} ({address}, service '{ServiceName}')");
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (RpcException ex)
        {
            await output.WriteLineAsync($"NOT_SERVING: {address} returned {ex.StatusCode}: {ex.Status.Detail}");
            return 1;
        }
    }

    private static SocketsHttpHandler CreateHandler(ShardTlsOptions? tls)
    {
        var handler = new SocketsHttpHandler();
        if (tls is null)
        {
            return handler;
        }

        var own = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHash().AsSpan().SequenceEqual(own.GetCertHash());
        if (!string.IsNullOrEmpty(tls.ClientCaPath))
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { own };
        }

        return handler;
    }
}
