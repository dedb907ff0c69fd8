namespace ParamServer.Worker.Training;

/// <summary>One step of this worker was pushed and the fresh weights arrived.</summary>
/// <param name="Step">Steps this worker has completed in this process, from 1.</param>
/// <param name="Version">Version of shard 0's weights after the step.</param>
/// <param name="Loss">Mean training loss of the step's minibatch.</param>
public sealed record StepCompleted(
    string JobId,
    uint WorkerId,
    long Epoch,
    long Step,
    long Version,
    double Loss,
    int Samples);
