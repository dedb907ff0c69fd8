namespace ParamServer.Psctl.Training;

/// <summary>The outcome of a finished local training run.</summary>
/// <param name="FinalAccuracy">Accuracy of the final model on the 10 000 test images, computed by psctl.</param>
/// <param name="FinalLoss">Mean cross-entropy of the final model on the test images.</param>
/// <param name="WallTime">From the start of the command to the final model on disk, data fetching included.</param>
/// <param name="TrainingTime">From the first worker's start to the last worker's exit.</param>
/// <param name="StepsPerSecond">Final version divided by <paramref name="TrainingTime"/>.</param>
/// <param name="BytesMoved">Gradient bytes received plus weight bytes sent, summed over the shards.</param>
/// <param name="ModelPath">The final model as a safetensors file.</param>
/// <param name="Checkpoints">The shards' final checkpoints (.psckpt), one per shard; empty if they were not written.</param>
public sealed record TrainResult(
    double FinalAccuracy,
    double FinalLoss,
    long FinalVersion,
    TimeSpan WallTime,
    TimeSpan TrainingTime,
    double StepsPerSecond,
    long BytesMoved,
    string RunDirectory,
    string ModelPath,
    IReadOnlyList<string> Checkpoints,
    string ChartPath,
    string SummaryPath);
