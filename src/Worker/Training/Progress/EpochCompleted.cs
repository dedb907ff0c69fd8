namespace ParamServer.Worker.Training;

/// <summary>This worker visited its whole block of the training set for <see cref="Epoch"/>.</summary>
/// <param name="MeanLoss">Mean training loss over the epoch's samples on this worker.</param>
public sealed record EpochCompleted(
    string JobId,
    uint WorkerId,
    long Epoch,
    int Rank,
    int WorldSize,
    int Steps,
    int Samples,
    double MeanLoss,
    long Version);
