namespace ParamServer.Psctl.Training;

/// <summary>What the live display shows at one poll of the shards' status.</summary>
/// <param name="Version">Shard 0's version (its global step).</param>
/// <param name="Epoch">1-based epoch estimated from the version and the versions per epoch.</param>
/// <param name="StepsPerSecond">Versions per second over the last few polls.</param>
/// <param name="TestAccuracy">Latest reported test accuracy in [0, 1], or null before the first evaluation.</param>
/// <param name="BytesMoved">Bytes received plus bytes sent, summed over the shards.</param>
public sealed record ProgressSnapshot(
    long Version,
    int Epoch,
    double StepsPerSecond,
    double TrainingLoss,
    double? TestAccuracy,
    long EvaluationVersion,
    double LearningRate,
    long BytesMoved,
    int LiveWorkers,
    TimeSpan Elapsed);
