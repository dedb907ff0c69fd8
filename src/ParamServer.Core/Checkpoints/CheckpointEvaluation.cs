namespace ParamServer.Checkpoints;

/// <summary>The last validation result an evaluator reported: the version evaluated, loss, accuracy and sample count.</summary>
public sealed record CheckpointEvaluation(long Version, double Loss, double Accuracy, long Samples);
