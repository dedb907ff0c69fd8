using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Training;
using Polly.CircuitBreaker;

namespace ParamServer.Worker.Hosting;

/// <summary>
/// Runs one worker for the life of the process: discovers the shards, runs the trainer or the evaluator, records
/// the exit code and stops the host. SIGTERM or SIGINT cancels the run, which abandons the current step and
/// deregisters.
/// </summary>
public sealed class WorkerService : BackgroundService
{
    private readonly WorkerOptions _options;
    private readonly IDataSourceFactory _dataFactory;
    private readonly IGradientEngineFactory _engineFactory;
    private readonly ITrainingProgress _progress;
    private readonly WorkerExitState _exit;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<Uri, GrpcChannel>? _channelFactory;

    public WorkerService(
        IOptions<WorkerOptions> options,
        IDataSourceFactory dataFactory,
        IGradientEngineFactory engineFactory,
        ITrainingProgress progress,
        WorkerExitState exit,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        Func<Uri, GrpcChannel>? channelFactory = null)
    {
        _options = options.Value;
        _dataFactory = dataFactory;
        _engineFactory = engineFactory;
        _progress = progress;
        _exit = exit;
        _lifetime = lifetime;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<WorkerService>();
        _timeProvider = timeProvider;
        _channelFactory = channelFactory;
    }

    /// <summary>Maps the settings of the "Worker" section onto the shard clients' settings.</summary>
    public static ShardClientOptions ClientOptionsOf(WorkerOptions options) => new()
    {
        ChunkBytes = options.ChunkBytes,
        CallTimeout = TimeSpan.FromSeconds(options.CallTimeoutSeconds),
        StepTimeout = TimeSpan.FromSeconds(options.StepTimeoutSeconds),
        MaxRetries = options.MaxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
        RetryMaxDelay = TimeSpan.FromSeconds(options.RetryMaxDelaySeconds),
        BreakerFailureRatio = options.BreakerFailureRatio,
        BreakerMinimumThroughput = options.BreakerMinimumThroughput,
        BreakerSamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds),
        BreakerBreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
        AuthToken = options.AuthToken,
    };

    /// <summary>Maps the settings of the "Worker" section onto the loops' settings.</summary>
    public static TrainingSettings TrainingSettingsOf(WorkerOptions options) => new()
    {
        ProgressEverySteps = options.ProgressEverySteps,
        DeregisterTimeout = TimeSpan.FromSeconds(options.DeregisterTimeoutSeconds),
        EvaluationBatchSize = options.EvaluationBatchSize,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave the host's start-up path before the long run begins.
        await Task.Yield();
        int exitCode;
        try
        {
            exitCode = await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            exitCode = WorkerExitCode.Stopped;
            _progress.Failed(_options.JobId, exitCode, "stopped before the worker joined the job");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stoppingToken.IsCancellationRequested)
        {
            // A stop cancels any call still waiting on a shard (a synchronous step, an assignment), and the client
            // reports that as CANCELLED. It is a requested stop, not a rejection.
            exitCode = WorkerExitCode.Stopped;
            _progress.Failed(_options.JobId, exitCode, "stopped while waiting on a shard");
        }
        catch (Exception e)
        {
            exitCode = ExitCodeOf(e);
            HostingLog.Failed(_logger, _options.JobId, exitCode, e);
            _progress.Failed(_options.JobId, exitCode, e.Message);
        }

        _exit.ExitCode = exitCode;
        _lifetime.StopApplication();
    }

    /// <summary>Returns the exit code for an error that ended the run.</summary>
    public static int ExitCodeOf(Exception exception) => exception switch
    {
        InvalidConfigurationException => WorkerExitCode.InvalidConfiguration,
        JobRejectedException => WorkerExitCode.JobRejected,
        ShardProtocolException or BrokenCircuitException or TimeoutException => WorkerExitCode.ShardsUnavailable,
        RpcException rpc when TransientFaults.IsTransient(rpc) => WorkerExitCode.ShardsUnavailable,
        RpcException => WorkerExitCode.JobRejected,
        InvalidDataException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException =>
            WorkerExitCode.DataOrDeviceError,
        _ => WorkerExitCode.Failed,
    };

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        string name = string.IsNullOrWhiteSpace(_options.Name) ? Environment.MachineName : _options.Name;
        string shardsText = !string.IsNullOrWhiteSpace(_options.Shards) ? _options.Shards! : "dns:" + _options.ShardsDns;
        HostingLog.Starting(
            _logger,
            _options.JobId,
            name,
            _options.Evaluator,
            _options.Accelerator,
            shardsText,
            _options.ChunkBytes,
            _options.CallTimeoutSeconds,
            _options.StepTimeoutSeconds,
            _options.MaxRetries,
            string.IsNullOrEmpty(_options.AuthToken) ? "not set" : "set");

        JobSpec? initialJob = LoadJobFile(_options.JobFile);
        if (initialJob is not null && initialJob.JobId != _options.JobId)
        {
            throw new InvalidConfigurationException(
                $"Worker:JobFile '{_options.JobFile}' describes job '{initialJob.JobId}'; Worker:JobId is " +
                    $"'{_options.JobId}'.");
        }

        ShardClientOptions clientOptions = ClientOptionsOf(_options);
        ILogger clientLogger = _loggerFactory.CreateLogger<ShardClient>();
        IReadOnlyList<Uri> endpoints = !string.IsNullOrWhiteSpace(_options.Shards)
            ? ShardDiscovery.ParseList(_options.Shards!)
            : await new ShardDiscovery(clientOptions, clientLogger, _timeProvider, channelFactory: _channelFactory)
                .DiscoverAsync(_options.ShardsDns!, TimeSpan.FromSeconds(_options.DiscoveryTimeoutSeconds), stoppingToken)
                .ConfigureAwait(false);

        var clients = endpoints
            .Select((endpoint, index) => new ShardClient(
                index, endpoint, clientOptions, clientLogger, _timeProvider, _channelFactory))
            .ToList();
        using var group = new ShardGroup(
            clients, _options.JobId, name, _options.Evaluator, initialJob, clientLogger, _timeProvider);
        TrainingSettings settings = TrainingSettingsOf(_options);
        ILogger trainingLogger = _loggerFactory.CreateLogger<TrainingLoop>();
        TrainingSummary summary = _options.Evaluator
            ? await new EvaluatorLoop(
                    group, _dataFactory, _engineFactory, _progress, settings, trainingLogger, _timeProvider)
                .RunAsync(stoppingToken).ConfigureAwait(false)
            : await new TrainingLoop(group, _dataFactory, _engineFactory, _progress, settings, trainingLogger)
                .RunAsync(stoppingToken).ConfigureAwait(false);

        int exitCode = summary.Reason == "stopped" ? WorkerExitCode.Stopped : WorkerExitCode.Finished;
        HostingLog.Finished(_logger, summary.JobId, summary.Reason, exitCode);
        _progress.Finished(summary, exitCode);
        return exitCode;
    }

    private static JobSpec? LoadJobFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return JsonParser.Default.Parse<JobSpec>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or IOException)
        {
            throw new InvalidConfigurationException($"Worker:JobFile '{path}' is not a valid JobSpec JSON: " +
                $"{e.Message}", e);
        }
    }
}
