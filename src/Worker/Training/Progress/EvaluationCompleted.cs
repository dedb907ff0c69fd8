namespace ParamServer.Worker.Training;

/// <summary>Test-set loss and accuracy of the weights of version <see cref="Version"/> (shard 0's).</summary>
public sealed record EvaluationCompleted(
    string JobId,
    uint WorkerId,
    long Version,
    double Loss,
    double Accuracy,
    int Samples);
