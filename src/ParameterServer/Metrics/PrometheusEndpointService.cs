using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace ParamServer.Metrics;

/// <summary>
/// Runs a <see cref="PrometheusEndpoint"/> for the lifetime of the host. A negative port disables it.
/// </summary>
/// <remarks>This file is compiled into both the shard and the worker.</remarks>
internal sealed class PrometheusEndpointService : IHostedService, IAsyncDisposable
{
    private readonly MeterProvider _meterProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<PrometheusEndpointService> _logger;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly TaskCompletionSource<Uri?> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PrometheusEndpoint? _endpoint;

    public PrometheusEndpointService(
        MeterProvider meterProvider,
        ILoggerFactory loggerFactory,
        IPAddress address,
        int port)
    {
        _meterProvider = meterProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PrometheusEndpointService>();
        _address = address;
        _port = port;
    }

    /// <summary>Completes with the bound address once listening, or with null when the endpoint is disabled.</summary>
    public Task<Uri?> BoundAddress => _bound.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_port < 0)
        {
            PrometheusEndpointLog.Disabled(_logger);
            _bound.TrySetResult(null);
            return;
        }

        try
        {
            _endpoint = await PrometheusEndpoint.StartAsync(_meterProvider, _address, _port, _loggerFactory,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            PrometheusEndpointLog.StartFailed(_logger, ex, _address.ToString(), _port);
            _bound.TrySetException(ex);
            throw;
        }

        PrometheusEndpointLog.Started(_logger, _endpoint.Address);
        _bound.TrySetResult(_endpoint.Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is not null)
        {
            await _endpoint.StopAsync(cancellationToken).ConfigureAwait(false);
            PrometheusEndpointLog.Stopped(_logger, _endpoint.Address);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
        }
    }
}
