namespace ParamServer.Psctl.Training;

/// <summary>Which worker process evaluates the model on the test set during a local run.</summary>
public enum EvaluatorPlacement
{
    /// <summary>The first training worker also evaluates every eval-every steps.</summary>
    FirstWorker,

    /// <summary>One extra worker process evaluates and does not train.</summary>
    Dedicated,

    /// <summary>No worker evaluates; psctl still evaluates the final model itself.</summary>
    None,
}
