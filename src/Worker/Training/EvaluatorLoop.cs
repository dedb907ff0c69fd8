using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Training;

/// <summary>
/// The evaluator: a worker registered with evaluator set that trains nothing. It polls the coordinator's status,
/// and whenever shard 0's version has advanced by the job's eval_every_steps (every version when that is 0) it
/// pulls the weights, evaluates them on the test set and reports loss and accuracy to every shard. It stops after
/// evaluating the final version: once shard 0 reaches max_steps, or once the job has had no training worker for
/// <see cref="TrainingSettings.EvaluatorIdleTimeout"/> after it had one.
/// </summary>
public sealed class EvaluatorLoop
{
    private readonly ShardGroup _group;
    private readonly IDataSourceFactory _dataFactory;
    private readonly IGradientEngineFactory _engineFactory;
    private readonly ITrainingProgress _progress;
    private readonly TrainingSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public EvaluatorLoop(
        ShardGroup group,
        IDataSourceFactory dataFactory,
        IGradientEngineFactory engineFactory,
        ITrainingProgress progress,
        TrainingSettings settings,
        ILogger logger,
        TimeProvider timeProvider)
    {
        _group = group;
        _dataFactory = dataFactory;
        _engineFactory = engineFactory;
        _progress = progress;
        _settings = settings;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public async Task<TrainingSummary> RunAsync(CancellationToken cancellationToken)
    {
        using JobSession session = await JobSession.OpenAsync(
            _group, _dataFactory, _engineFactory, _settings, cancellationToken).ConfigureAwait(false);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task heartbeats = _group.RunHeartbeatsAsync(heartbeatStop.Token);
        string reason = "stopped";
        long evaluations = 0;
        double lastLoss = double.NaN;
        double lastAccuracy = double.NaN;
        try
        {
            string mode = JobSession.ModeName(session.Mode);
            TrainingLog.Started(
                _logger,
                _group.WorkerId,
                "evaluator",
                _group.JobId,
                mode,
                session.Engine.DeviceName,
                session.Weights.Length,
                _group.Count,
                session.Epochs,
                session.Training.BatchSize,
                0,
                _group.Version(0));
            _progress.Started(new TrainingStarted(
                _group.JobId,
                _group.WorkerId,
                _group.WorkerName,
                "evaluator",
                mode,
                _group.Count,
                session.Engine.DeviceName,
                session.Weights.Length,
                session.Epochs,
                session.Training.BatchSize,
                0,
                _group.Version(0)));

            long interval = Math.Max(1, session.Training.EvalEverySteps);
            long lastEvaluated = -1;
            bool sawTrainers = false;
            DateTimeOffset? idleSince = null;
            while (true)
            {
                JobStatus status = await PollAsync(cancellationToken).ConfigureAwait(false);
                DateTimeOffset now = _timeProvider.GetUtcNow();
                bool finished = false;
                if (status.Workers.Any(w => !w.Evaluator))
                {
                    sawTrainers = true;
                    idleSince = null;
                }
                else if (sawTrainers)
                {
                    idleSince ??= now;
                    if (now - idleSince >= _settings.EvaluatorIdleTimeout)
                    {
                        TrainingLog.TrainingEnded(
                            _logger, _group.JobId, _settings.EvaluatorIdleTimeout.TotalSeconds, status.Version);
                        reason = "training_ended";
                        finished = true;
                    }
                }

                long maxSteps = session.Training.MaxSteps;
                if (maxSteps > 0 && status.Version >= maxSteps)
                {
                    reason = "max_steps";
                    finished = true;
                }

                bool due = lastEvaluated < 0 || status.Version >= lastEvaluated + interval;
                if (due || (finished && status.Version != lastEvaluated))
                {
                    await _group.PullAllAsync(session.Weights, cancellationToken).ConfigureAwait(false);
                    session.Engine.SetWeights(session.Weights);
                    BatchStats stats = await EvaluationRound.RunAsync(
                        session, _settings, _progress, _logger, cancellationToken).ConfigureAwait(false);
                    lastEvaluated = _group.Version(0);
                    evaluations++;
                    lastLoss = stats.Loss;
                    lastAccuracy = stats.Accuracy;
                }

                if (finished)
                {
                    break;
                }

                await Task.Delay(_settings.EvaluatorPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "stopped";
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
            await _group.LeaveAsync(_settings.DeregisterTimeout).ConfigureAwait(false);
        }

        TrainingLog.Stopped(_logger, _group.WorkerId, _group.JobId, reason, evaluations, _group.Version(0));
        return new TrainingSummary(
            _group.JobId,
            _group.WorkerId,
            reason,
            evaluations,
            0,
            _group.Version(0),
            lastLoss,
            lastAccuracy,
            new PushCounts(0, 0, 0, 0),
            _group.Rejoins);
    }

    private async Task<JobStatus> PollAsync(CancellationToken cancellationToken)
    {
        ShardStatus status = await _group.Shards[0].GetStatusAsync(_group.JobId, cancellationToken).ConfigureAwait(false);
        return status.Jobs.FirstOrDefault(j => j.JobId == _group.JobId)
            ?? throw new JobRejectedException($"Shard 0 no longer lists job '{_group.JobId}' in its status.");
    }
}
