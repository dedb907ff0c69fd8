namespace ParamServer.Worker.Training;

/// <summary>How a training or evaluation run ended.</summary>
/// <param name="Reason">"completed" (all epochs), "max_steps", "stopped" (cancelled) or "training_ended" (evaluator).</param>
/// <param name="Steps">Steps this worker completed (trainer) or evaluations it reported (evaluator).</param>
/// <param name="Version">Version of shard 0's weights when the run ended.</param>
/// <param name="LastLoss">Last step's training loss (trainer) or last test loss (evaluator); NaN when none.</param>
/// <param name="LastAccuracy">Last test accuracy; NaN when the worker never evaluated.</param>
public sealed record TrainingSummary(
    string JobId,
    uint WorkerId,
    string Reason,
    long Steps,
    long Epochs,
    long Version,
    double LastLoss,
    double LastAccuracy,
    PushCounts Pushes,
    int Rejoins);
