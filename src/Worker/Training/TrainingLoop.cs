using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Training;

/// <summary>
/// The trainer. It registers and pulls the weights. Then each step computes the gradient of the mean loss on one
/// minibatch, pushes each shard's slice to that shard in parallel, and takes the fresh weights the shards return.
/// It stops when the job's epochs are done, when shard 0 reaches the job's max_steps, or when the run is cancelled,
/// and it deregisters however it stops.
/// </summary>
/// <remarks>
/// One step depends on the consistency mode. Synchronous: a PushPull whose reply, sent once the step is applied,
/// carries the weights of the completed step. Asynchronous: the same call, replied to as soon as the push is
/// applied. Bounded staleness: a push without weights, then a Pull for the next step, which the shard delays until
/// the slowest worker is within the bound.
/// </remarks>
public sealed partial class TrainingLoop
{
    private readonly ShardGroup _group;
    private readonly IDataSourceFactory _dataFactory;
    private readonly IGradientEngineFactory _engineFactory;
    private readonly ITrainingProgress _progress;
    private readonly TrainingSettings _settings;
    private readonly ILogger _logger;
    private long _applied;
    private long _merged;
    private long _deduplicated;
    private long _rejectedStale;

    public TrainingLoop(
        ShardGroup group,
        IDataSourceFactory dataFactory,
        IGradientEngineFactory engineFactory,
        ITrainingProgress progress,
        TrainingSettings settings,
        ILogger logger)
    {
        _group = group;
        _dataFactory = dataFactory;
        _engineFactory = engineFactory;
        _progress = progress;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>Trains until done or cancelled and returns how the run ended; cancellation is not an error.</summary>
    public async Task<TrainingSummary> RunAsync(CancellationToken cancellationToken)
    {
        using JobSession session = await JobSession.OpenAsync(
            _group, _dataFactory, _engineFactory, _settings, cancellationToken).ConfigureAwait(false);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task heartbeats = _group.RunHeartbeatsAsync(heartbeatStop.Token);
        var run = new RunState();
        try
        {
            run.Reason = await TrainAsync(session, run, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The current step is abandoned; a shard that applied part of it counts it, the others never see it.
            run.Reason = "stopped";
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
            await _group.LeaveAsync(_settings.DeregisterTimeout).ConfigureAwait(false);
        }

        TrainingLog.Stopped(_logger, _group.WorkerId, _group.JobId, run.Reason, run.Steps, _group.Version(0));
        return new TrainingSummary(
            _group.JobId,
            _group.WorkerId,
            run.Reason,
            run.Steps,
            run.Epochs,
            _group.Version(0),
            run.LastLoss,
            run.LastAccuracy,
            new PushCounts(_applied, _merged, _deduplicated, _rejectedStale),
            _group.Rejoins);
    }

    private async Task<string> TrainAsync(JobSession session, RunState run, CancellationToken cancellationToken)
    {
        TrainingSpec training = session.Training;
        AlignSynchronousSteps(session);

        // The registration's assignment names the epoch a joining worker starts in; a coordinator that sent none
        // starts it at epoch 0.
        DataAssignment? registered = _group.Assignment is { WorldSize: > 0 } a ? a : null;
        long firstEpoch = registered?.Epoch ?? 0;
        ReportStart(session, firstEpoch);

        int batchSize = training.BatchSize;
        using var gradient = new PooledFloatBuffer(session.Weights.Length);
        var batch = new MinibatchBuffer(batchSize, session.Data.Features);
        run.LastEvaluated = _group.Version(0);
        for (long epoch = firstEpoch; epoch < session.Epochs; epoch++)
        {
            DataAssignment assignment = epoch == firstEpoch && registered is not null
                ? registered
                : await GetAssignmentAsync(epoch, cancellationToken).ConfigureAwait(false);
            if (assignment.Rank < 0)
            {
                // The coordinator fixed this epoch's split before the worker was live; it starts with the next one.
                TrainingLog.EpochSkipped(_logger, _group.WorkerId, _group.JobId, epoch, assignment.WorldSize);
                continue;
            }

            var sampler = new EpochSampler(
                session.Data.Train.Count, training.DataSeed, epoch, assignment.Rank, assignment.WorldSize);
            int batches = sampler.BatchCount(batchSize);

            // In a synchronous job every worker takes as many steps as the largest block needs, so the workers stay
            // in one epoch. A worker whose block is smaller sends empty pushes for its last steps.
            int steps = session.Mode == ConsistencyMode.Synchronous
                ? Math.Max(batches, EpochSampler.MaxBatchCount(session.Data.Train.Count, assignment.WorldSize, batchSize))
                : batches;
            TrainingLog.EpochStarted(
                _logger, _group.WorkerId, _group.JobId, epoch, assignment.Rank, assignment.WorldSize, sampler.Count, steps);

            double epochLoss = 0;
            for (int b = 0; b < steps; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BatchStats stats = new(double.NaN, 0, 0);
                if (b < batches)
                {
                    batch.Gather(session.Data.Train, sampler.Batch(b, batchSize));
                    stats = session.Engine.ComputeGradient(batch.Inputs, batch.Labels, batch.Count, gradient.Span);
                    epochLoss += stats.Loss * stats.Count;
                }

                await PushStepAsync(session, gradient, stats, cancellationToken).ConfigureAwait(false);
                session.Engine.SetWeights(session.Weights);
                if (await AfterStepAsync(session, run, epoch, stats, cancellationToken).ConfigureAwait(false))
                {
                    return "max_steps";
                }
            }

            run.Epochs++;
            double meanLoss = sampler.Count == 0 ? double.NaN : epochLoss / sampler.Count;
            TrainingLog.EpochEnded(_logger, _group.WorkerId, _group.JobId, epoch, steps, meanLoss, _group.Version(0));
            _progress.EpochCompleted(new EpochCompleted(
                _group.JobId,
                _group.WorkerId,
                epoch,
                assignment.Rank,
                assignment.WorldSize,
                steps,
                sampler.Count,
                meanLoss,
                _group.Version(0)));
        }

        await FinishAsync(session, run, cancellationToken).ConfigureAwait(false);
        return "completed";
    }

    /// <summary>Reports progress, evaluates when due, and returns true once shard 0 reached max_steps.</summary>
    private async Task<bool> AfterStepAsync(
        JobSession session,
        RunState run,
        long epoch,
        BatchStats stats,
        CancellationToken cancellationToken)
    {
        TrainingSpec training = session.Training;
        run.Steps++;
        if (stats.Count > 0)
        {
            run.LastLoss = stats.Loss;
        }

        long version = _group.Version(0);
        if (_settings.ProgressEverySteps > 0 && run.Steps % _settings.ProgressEverySteps == 0)
        {
            _progress.StepCompleted(new StepCompleted(
                _group.JobId, _group.WorkerId, epoch, run.Steps, version, stats.Loss, stats.Count));
        }

        if (training.EvalEverySteps > 0 && version >= run.LastEvaluated + training.EvalEverySteps)
        {
            await EvaluateAsync(session, run, cancellationToken).ConfigureAwait(false);
        }

        if (training.MaxSteps > 0 && version >= training.MaxSteps)
        {
            await FinishAsync(session, run, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task<DataAssignment> GetAssignmentAsync(long epoch, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                DataAssignment assignment = await _group.Shards[0].GetAssignmentAsync(
                    new AssignmentRequest { JobId = _group.JobId, WorkerId = _group.WorkerId, Epoch = epoch },
                    cancellationToken).ConfigureAwait(false);
                if (assignment.WorldSize < 0 || assignment.Rank < -1 || assignment.Rank >= assignment.WorldSize
                    || (assignment.Rank >= 0 && assignment.WorldSize == 0))
                {
                    throw new ShardProtocolException(
                        0, $"assigned rank {assignment.Rank} of world size {assignment.WorldSize} for epoch {epoch}.");
                }

                return assignment;
            }
            catch (RpcException e) when (TransientFaults.IsMembershipLost(e) && attempt < _settings.MaxRejoinsPerStep)
            {
                ClientLog.MembershipLost(_logger, 0, _group.WorkerId, _group.JobId, _group.NextStep(0), e.StatusCode, e);
                await _group.RejoinAsync(0, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A worker that joins a synchronous job takes the step the shard's version names: step k is computed on the
    /// weights of version k.
    /// </summary>
    private void AlignSynchronousSteps(JobSession session)
    {
        if (session.Mode != ConsistencyMode.Synchronous)
        {
            return;
        }

        long highest = 0;
        long lowest = long.MaxValue;
        for (int s = 0; s < _group.Count; s++)
        {
            _group.SetNextStep(s, Math.Max(_group.NextStep(s), _group.Version(s)));
            highest = Math.Max(highest, _group.NextStep(s));
            lowest = Math.Min(lowest, _group.NextStep(s));
        }

        // Running shards differ by at most one step (one has applied step k, another is still gathering it). A
        // larger gap means a shard restored from an older checkpoint: pushing the highest step to it makes it
        // adopt that step, so every shard is back on the same step.
        // NOTE: a restored shard exactly one step behind keeps that offset; each shard still applies one update
        // per step.
        if (highest - lowest >= 2)
        {
            for (int s = 0; s < _group.Count; s++)
            {
                _group.SetNextStep(s, highest);
            }
        }
    }

    private void ReportStart(JobSession session, long firstEpoch)
    {
        string mode = JobSession.ModeName(session.Mode);
        TrainingLog.Started(
            _logger,
            _group.WorkerId,
            "trainer",
            _group.JobId,
            mode,
            session.Engine.DeviceName,
            session.Weights.Length,
            _group.Count,
            session.Epochs,
            session.Training.BatchSize,
            firstEpoch,
            _group.Version(0));
        _progress.Started(new TrainingStarted(
            _group.JobId,
            _group.WorkerId,
            _group.WorkerName,
            "trainer",
            mode,
            _group.Count,
            session.Engine.DeviceName,
            session.Weights.Length,
            session.Epochs,
            session.Training.BatchSize,
            firstEpoch,
            _group.Version(0)));
    }

    private async Task EvaluateAsync(JobSession session, RunState run, CancellationToken cancellationToken)
    {
        run.LastEvaluated = _group.Version(0);
        BatchStats stats = await EvaluationRound.RunAsync(session, _settings, _progress, _logger, cancellationToken)
            .ConfigureAwait(false);
        run.LastAccuracy = stats.Accuracy;
    }

    /// <summary>A trainer that evaluates periodically also evaluates the final weights.</summary>
    private async Task FinishAsync(JobSession session, RunState run, CancellationToken cancellationToken)
    {
        if (session.Training.EvalEverySteps > 0 && _group.Version(0) != run.LastEvaluated)
        {
            await EvaluateAsync(session, run, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class RunState
    {
        public string Reason { get; set; } = "stopped";

        public long Steps { get; set; }

        public long Epochs { get; set; }

        public double LastLoss { get; set; } = double.NaN;

        public double LastAccuracy { get; set; } = double.NaN;

        /// <summary>Shard 0's version at the last evaluation, or at the start.</summary>
        public long LastEvaluated { get; set; }
    }
}
