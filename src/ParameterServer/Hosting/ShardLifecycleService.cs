using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Runs the shard's start-up and shutdown steps around Kestrel: creates the job of <see cref="ShardOptions.JobFile"/>
/// before the server starts, then publishes the bound endpoint (ready file, health status) once it listens, and marks
/// the shard not serving when the host stops.
/// </summary>
internal sealed class ShardLifecycleService : IHostedLifecycleService
{
    /// <summary>Health service name of the data-plane service.</summary>
    public const string ShardServiceName = "paramserver.v1.ParameterShard";

    private readonly ShardOptions _options;
    private readonly IServer _server;
    private readonly JobRegistry _jobs;
    private readonly HealthServiceImpl _health;
    private readonly ShardEndpoint _endpoint;
    private readonly ILogger<ShardLifecycleService> _logger;

    public ShardLifecycleService(
        IOptions<ShardOptions> options,
        IServer server,
        JobRegistry jobs,
        HealthServiceImpl health,
        ShardEndpoint endpoint,
        ILogger<ShardLifecycleService> logger)
    {
        _options = options.Value;
        _server = server;
        _jobs = jobs;
        _health = health;
        _endpoint = endpoint;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // The token's presence is logged, never its value.
        HostingLog.Starting(_logger, _options.Index, _options.Count, _options.ListenAddress, _options.Port,
            _options.ChunkBytes, _options.HeartbeatTimeoutSeconds, _options.MaxWorkers,
            !string.IsNullOrEmpty(_options.Tls.CertificatePath), !string.IsNullOrEmpty(_options.AuthToken));
        SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
        if (!string.IsNullOrEmpty(_options.JobFile))
        {
            CreateJobFromFile(_options.JobFile);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            string address = ResolveAddress();
            if (!string.IsNullOrEmpty(_options.ReadyFile))
            {
                await WriteReadyFileAsync(_options.ReadyFile, address, cancellationToken).ConfigureAwait(false);
            }

            SetHealth(HealthCheckResponse.Types.ServingStatus.Serving);
            _endpoint.SetAddress(address);
            HostingLog.Listening(_logger, _options.Index, address);
        }
        catch (Exception error)
        {
            _endpoint.SetFailed(error);
            throw;
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        HostingLog.Stopping(_logger, _options.Index);
        SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
        _jobs.CancelWaiters();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        HostingLog.Stopped(_logger, _options.Index);
        return Task.CompletedTask;
    }

    private void CreateJobFromFile(string path)
    {
        JobSpec spec;
        try
        {
            spec = JsonParser.Default.Parse<JobSpec>(File.ReadAllText(path));
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidOperationException(
                $"Shard:JobFile '{path}' is not a JobSpec in protobuf JSON: {error.Message}", error);
        }

        JobCreation creation = _jobs.CreateJob(spec);
        HostingLog.JobFileLoaded(_logger, path, creation.Job.JobId, creation.Created);
    }

    private string ResolveAddress()
    {
        if (_endpoint.BoundAddress() is { } address)
        {
            return address;
        }

        ICollection<string>? addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        throw new InvalidOperationException(
            $"The gRPC listener was not bound; Kestrel reports [{string.Join(", ", addresses ?? [])}].");
    }

    private static async Task WriteReadyFileAsync(string path, string address, CancellationToken cancellationToken)
    {
        // Written to a temporary name and renamed, so a launcher polling the file never reads half an address.
        string temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, address, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private void SetHealth(HealthCheckResponse.Types.ServingStatus status)
    {
        _health.SetStatus(string.Empty, status);
        _health.SetStatus(ShardServiceName, status);
    }
}
