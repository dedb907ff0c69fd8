using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Training;

/// <summary>Log messages of the training and evaluation loops, event ids 5400-5499.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(5400, LogLevel.Information,
        "Worker {WorkerId} ({Role}) starts job {JobId} in {Mode} mode on {Device}: {Parameters} parameters over " +
            "{Shards} shards, " +
        "{Epochs} epochs of batch {BatchSize} from epoch {FirstEpoch}, version {Version}")]
    public static partial void Started(
        ILogger logger,
        uint workerId,
        string role,
        string jobId,
        string mode,
        string device,
        long parameters,
        int shards,
        int epochs,
        int batchSize,
        long firstEpoch,
        long version);

    [LoggerMessage(5401, LogLevel.Information,
        "Worker {WorkerId} in job {JobId} starts epoch {Epoch} as rank {Rank} of {WorldSize}: {Samples} samples in " +
            "{Batches} batches")]
    public static partial void EpochStarted(
        ILogger logger, uint workerId, string jobId, long epoch, int rank, int worldSize, int samples, int batches);

    [LoggerMessage(5402, LogLevel.Information,
        "Worker {WorkerId} in job {JobId} finished epoch {Epoch}: {Steps} steps, mean training loss {MeanLoss:F5}, " +
            "version {Version}")]
    public static partial void EpochEnded(
        ILogger logger, uint workerId, string jobId, long epoch, int steps, double meanLoss, long version);

    [LoggerMessage(5403, LogLevel.Debug,
        "Worker {WorkerId} in job {JobId} step {Step} on shard {Shard}: {Outcome}, version {Version}, staleness " +
            "{Staleness}, " +
        "learning rate {LearningRate}")]
    public static partial void Pushed(
        ILogger logger,
        uint workerId,
        string jobId,
        long step,
        int shard,
        PushOutcome outcome,
        long version,
        long staleness,
        double learningRate);

    [LoggerMessage(5404, LogLevel.Information,
        "Evaluated job {JobId} at version {Version} on {Samples} test samples: loss {Loss:F5}, accuracy {Accuracy:P2}")]
    public static partial void Evaluated(ILogger logger, string jobId, long version, int samples, double loss, double accuracy);

    [LoggerMessage(5405, LogLevel.Warning, "Reporting the evaluation of job {JobId} at version {Version} to shard " +
        "{Shard} failed")]
    public static partial void ReportFailed(ILogger logger, string jobId, long version, int shard, Exception exception);

    [LoggerMessage(5406, LogLevel.Information,
        "Worker {WorkerId} stops job {JobId} ({Reason}) after {Steps} steps at version {Version}")]
    public static partial void Stopped(ILogger logger, uint workerId, string jobId, string reason, long steps, long version);

    [LoggerMessage(5407, LogLevel.Warning,
        "Worker {WorkerId} in job {JobId} step {Step}: shard {Shard} rejected the gradient as too stale (staleness " +
            "{Staleness})")]
    public static partial void RejectedStale(ILogger logger, uint workerId, string jobId, long step, int shard, long staleness);

    [LoggerMessage(5408, LogLevel.Information,
        "Worker {WorkerId} registered again with shard {Shard} of job {JobId}: next step {NextStep}, version " +
            "{Version}")]
    public static partial void Rejoined(ILogger logger, uint workerId, int shard, string jobId, long nextStep, long version);

    [LoggerMessage(5409, LogLevel.Information,
        "Evaluator of job {JobId} sees no training workers for {IdleSeconds} s at version {Version}; evaluating " +
            "the last version")]
    public static partial void TrainingEnded(ILogger logger, string jobId, double idleSeconds, long version);

    [LoggerMessage(5410, LogLevel.Information,
        "Worker {WorkerId} in job {JobId} skips epoch {Epoch}: its split over {WorldSize} workers was fixed before " +
            "the worker joined")]
    public static partial void EpochSkipped(ILogger logger, uint workerId, string jobId, long epoch, int worldSize);

    [LoggerMessage(5411, LogLevel.Warning,
        "Shard {Shard} rejected step {Step} of worker {WorkerId} in job {JobId} as invalid: {Detail}; registering " +
            "again " +
        "and pulling its weights before one more attempt")]
    public static partial void PushInvalid(ILogger logger, int shard, long step, uint workerId, string jobId, string detail);
}
