namespace ParamServer.Worker.Training;

/// <summary>The worker registered and pulled the initial weights.</summary>
/// <param name="Role">"trainer" or "evaluator".</param>
/// <param name="Mode">"synchronous", "asynchronous" or "bounded_staleness".</param>
public sealed record TrainingStarted(
    string JobId,
    uint WorkerId,
    string Name,
    string Role,
    string Mode,
    int Shards,
    string Device,
    long Parameters,
    int Epochs,
    int BatchSize,
    long FirstEpoch,
    long Version);
