namespace ParamServer.Worker.Training;

/// <summary>Worker-side settings of the training and evaluation loops; the job spec supplies the rest.</summary>
public sealed record TrainingSettings
{
    /// <summary>Emit a step progress event every this many steps; 0 emits none. Default 10.</summary>
    public int ProgressEverySteps { get; init; } = 10;

    /// <summary>Re-registrations allowed within one step before the worker gives up. Default 5.</summary>
    public int MaxRejoinsPerStep { get; init; } = 5;

    /// <summary>Time allowed for deregistering from every shard when the worker stops. Default 5 s.</summary>
    public TimeSpan DeregisterTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Evaluator: interval between two status polls of the coordinator. Default 1 s.</summary>
    public TimeSpan EvaluatorPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Evaluator: how long the job may have no training workers, after it had some, before the evaluator
    /// evaluates the final version and stops. Default 10 s.
    /// </summary>
    public TimeSpan EvaluatorIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Samples per evaluation call of the engine; 0 passes the whole test set in one call. Default 0.</summary>
    public int EvaluationBatchSize { get; init; }
}
