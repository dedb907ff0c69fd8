using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Logging;
using ParamServer.Psctl.Rpc;

namespace ParamServer.Psctl.Training;

/// <summary>
/// Polls every shard's GetStatus for the job, turns the replies into <see cref="ProgressSnapshot"/>s and
/// records loss and accuracy in a <see cref="TrainingHistory"/> for the chart.
/// </summary>
public sealed class TrainingMonitor
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ShardConnection> _shards;
    private readonly TrainPlan _plan;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _started;
    private readonly Queue<(long Timestamp, long Version)> _recent = new();
    private int _failures;

    public TrainingMonitor(IReadOnlyList<ShardConnection> shards, TrainPlan plan, TimeProvider time, ILogger logger)
    {
        _shards = shards;
        _plan = plan;
        _time = time;
        _logger = logger;
        _started = time.GetTimestamp();
    }

    public TrainingHistory History { get; } = new();

    public ProgressSnapshot? Latest { get; private set; }

    /// <summary>The last status of each shard, in index order; null entries for shards not read yet.</summary>
    public IReadOnlyList<ShardStatus?> LastStatuses { get; private set; } = [];

    /// <summary>Polls until cancelled, calling <paramref name="onUpdate"/> after each successful poll.</summary>
    public async Task RunAsync(Action<ProgressSnapshot> onUpdate, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(_plan.Settings.PollIntervalSeconds);
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            do
            {
                ProgressSnapshot? snapshot = await PollAsync(cancellationToken);
                if (snapshot is not null)
                {
                    onUpdate(snapshot);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads every shard's status once; returns null when shard 0 could not be read.</summary>
    public async Task<ProgressSnapshot?> PollAsync(CancellationToken cancellationToken)
    {
        ShardStatus?[] statuses = await Task.WhenAll(_shards.Select(s => ReadAsync(s, cancellationToken)));
        LastStatuses = statuses;
        JobStatus? lead = statuses[0]?.Jobs.FirstOrDefault(j => j.JobId == _plan.Job.JobId);
        if (lead is null)
        {
            return null;
        }

        var jobs = statuses.Select(s => s?.Jobs.FirstOrDefault(j => j.JobId == _plan.Job.JobId))
            .Where(j => j is not null)
            .Select(j => j!)
            .ToList();
        long now = _time.GetTimestamp();
        _recent.Enqueue((now, lead.Version));
        while (_recent.Count > 2 && _time.GetElapsedTime(_recent.Peek().Timestamp, now) > RateWindow)
        {
            _recent.Dequeue();
        }

        (long firstTimestamp, long firstVersion) = _recent.Peek();
        double seconds = _time.GetElapsedTime(firstTimestamp, now).TotalSeconds;
        double rate = seconds > 0 ? (lead.Version - firstVersion) / seconds : 0;

        JobStatus? evaluated = jobs.Where(j => j.HasEvaluation).OrderByDescending(j => j.LastEvaluationVersion)
            .FirstOrDefault();
        if (evaluated is not null)
        {
            History.AddAccuracy(evaluated.LastEvaluationVersion, evaluated.LastValidationAccuracy);
        }

        History.AddLoss(lead.Version, lead.LastTrainingLoss);
        int epoch = (int)Math.Min(_plan.Settings.Epochs, lead.Version / Math.Max(1, _plan.VersionsPerEpoch) + 1);
        Latest = new ProgressSnapshot(
            lead.Version,
            epoch,
            rate,
            lead.LastTrainingLoss,
            evaluated?.LastValidationAccuracy,
            evaluated?.LastEvaluationVersion ?? 0,
            lead.LearningRate,
            jobs.Sum(j => j.BytesIn + j.BytesOut),
            lead.Workers.Count,
            _time.GetElapsedTime(_started));
        return Latest;
    }

    private async Task<ShardStatus?> ReadAsync(ShardConnection shard, CancellationToken cancellationToken)
    {
        try
        {
            ShardStatus status = await shard.Operator.GetStatusAsync(
                new StatusRequest { JobId = _plan.Job.JobId },
                shard.CallOptions(cancellationToken, TimeSpan.FromSeconds(5)));
            _failures = 0;
            return status;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The status poll was cancelled.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            // Counted, and logged once per run of failures so a restarting shard does not flood the log.
            if (Interlocked.Increment(ref _failures) == 1)
            {
                PsctlLog.StatusPollFailed(_logger, shard.Endpoint.ToString(), ex.StatusCode, ex.Status.Detail);
            }

            return null;
        }
    }
}
