namespace ParamServer.Psctl.Training;

/// <summary>Whether a local run starts an evaluator process beside the training workers.</summary>
public enum EvaluatorPlacement
{
    /// <summary>
    /// One extra worker process registered as the job's evaluator: it trains nothing, evaluates the weights on
    /// the test set every eval-every versions and reports loss and accuracy to the shards.
    /// </summary>
    Dedicated,

    /// <summary>No evaluator; psctl still evaluates the final model itself.</summary>
    None,
}
