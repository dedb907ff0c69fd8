using ParamServer.Server.Membership;

namespace ParamServer.Server.Consistency;

/// <summary>
/// What a consistency strategy sees of its job. Every member is called under the job's lock, as are the strategy's
/// own methods, so strategies need no locking of their own.
/// </summary>
internal interface IConsistencyContext
{
    /// <summary>Current version: the number of updates applied (synchronous steps or asynchronous pushes).</summary>
    long Version { get; }

    /// <summary>Training workers (evaluators excluded) currently registered and not evicted.</summary>
    IReadOnlyCollection<WorkerMember> LiveTrainers { get; }

    /// <summary>Learning rate of the update that takes the weights from the current version to the next.</summary>
    double CurrentLearningRate { get; }

    /// <summary>
    /// Applies one optimizer update with <paramref name="gradient"/> (the optimizer may overwrite it) at the current
    /// learning rate times <paramref name="learningRateScale"/>, then advances the version by one.
    /// </summary>
    /// <returns>The new version and the learning rate used.</returns>
    (long Version, double LearningRate) ApplyUpdate(Span<float> gradient, double learningRateScale);

    /// <summary>Advances the version by one without an update, for a synchronous step with no contributor.</summary>
    long AdvanceVersion();

    /// <summary>Returns a gradient buffer to the job's pool once the strategy is done with it.</summary>
    void ReturnGradient(byte[] buffer);

    Jobs.JobCounters Counters { get; }
}
