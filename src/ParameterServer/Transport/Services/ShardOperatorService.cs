using System.Reflection;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Transport.Services;

/// <summary>The operator service: status, learning-rate override, eviction, checkpoints and shutdown.</summary>
internal sealed class ShardOperatorService : ShardOperator.ShardOperatorBase
{
    private static readonly string ServerVersion =
        typeof(ShardOperatorService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion ?? "unknown";

    private readonly JobRegistry _jobs;
    private readonly ShardOptions _options;
    private readonly ICheckpointService? _checkpoints;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ShardOperatorService> _logger;

    public ShardOperatorService(
        JobRegistry jobs,
        IOptions<ShardOptions> options,
        IHostApplicationLifetime lifetime,
        ILogger<ShardOperatorService> logger,
        ICheckpointService? checkpoints = null)
    {
        _jobs = jobs;
        _options = options.Value;
        _lifetime = lifetime;
        _logger = logger;
        _checkpoints = checkpoints;
    }

    public override Task<ShardStatus> GetStatus(StatusRequest request, ServerCallContext context)
    {
        var status = new ShardStatus
        {
            ShardIndex = _options.Index,
            NumShards = _options.Count,
            UptimeSeconds = _jobs.Time.GetElapsedTime(_jobs.StartedTimestamp).TotalSeconds,
            ServerVersion = ServerVersion,
        };

        IEnumerable<ShardJob> jobs = string.IsNullOrEmpty(request.JobId)
            ? _jobs.Jobs.OrderBy(job => job.JobId, StringComparer.Ordinal)
            : [_jobs.Get(request.JobId)];
        foreach (ShardJob job in jobs)
        {
            JobStatus jobStatus = job.GetStatus();
            if (_checkpoints?.GetStatus(job.JobId) is { } checkpoint)
            {
                jobStatus.Checkpoint = checkpoint;
            }

            status.Jobs.Add(jobStatus);
        }

        return Task.FromResult(status);
    }

    public override Task<CheckpointResponse> Checkpoint(CheckpointRequest request, ServerCallContext context)
    {
        _jobs.Get(request.JobId);
        if (_checkpoints is null)
        {
            throw ShardErrors.Unimplemented("checkpoints are not available on this shard.");
        }

        return _checkpoints.CheckpointAsync(request.JobId, context.CancellationToken);
    }

    public override Task<SetLearningRateResponse> SetLearningRate(
        SetLearningRateRequest request,
        ServerCallContext context)
    {
        double rate = _jobs.Get(request.JobId).SetLearningRate(request.Clear ? null : request.LearningRate);
        return Task.FromResult(new SetLearningRateResponse { LearningRate = rate });
    }

    public override Task<EvictWorkerResponse> EvictWorker(EvictWorkerRequest request, ServerCallContext context)
    {
        string reason = string.IsNullOrEmpty(request.Reason) ? "evicted by an operator" : request.Reason;
        bool evicted = _jobs.Get(request.JobId).Evict(request.WorkerId, reason);
        return Task.FromResult(new EvictWorkerResponse { Evicted = evicted });
    }

    public override async Task<ShutdownResponse> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        HostingLog.ShutdownRequested(_logger, request.Checkpoint);
        if (request.Checkpoint)
        {
            if (_checkpoints is null)
            {
                throw ShardErrors.Unimplemented(
                    "checkpoint is true but checkpoints are not available on this shard; shut down without one.");
            }

            foreach (ShardJob job in _jobs.Jobs)
            {
                try
                {
                    await _checkpoints.CheckpointAsync(job.JobId, context.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    HostingLog.ShutdownCheckpointFailed(_logger, error, job.JobId);
                    throw new RpcException(new Status(StatusCode.Internal,
                        $"checkpoint of job '{job.JobId}' failed before shutdown: {error.Message}; the shard keeps running."));
                }
            }
        }

        // Stopping starts after this reply is on its way; the host drains in-flight calls before it exits.
        _ = Task.Run(_lifetime.StopApplication);
        return new ShutdownResponse();
    }
}
