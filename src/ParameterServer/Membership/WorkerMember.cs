using ParamServer.Server.Jobs;

namespace ParamServer.Server.Membership;

/// <summary>
/// One registered worker of a job on this shard. Mutated only under the job's lock.
/// </summary>
internal sealed class WorkerMember
{
    public WorkerMember(uint id, string name, bool evaluator, long nextStep, long registeredAtTimestamp)
    {
        Id = id;
        Name = name;
        Evaluator = evaluator;
        NextStep = nextStep;
        LastSeenTimestamp = registeredAtTimestamp;
        Ledger = new PushLedger();
    }

    public uint Id { get; }

    public string Name { get; }

    /// <summary>Evaluators read weights and report validation loss; they never push and no step waits for them.</summary>
    public bool Evaluator { get; }

    /// <summary>
    /// The worker step this shard accepts next: one past the last accepted push, or the step assigned at registration
    /// before the first push.
    /// </summary>
    public long NextStep { get; set; }

    /// <summary>Whether any push of this worker has been accepted.</summary>
    public bool HasPushed { get; set; }

    /// <summary>Last worker step reported by a heartbeat or accepted push; -1 before either.</summary>
    public long LastStep { get; set; } = -1;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last heartbeat, push or registration.</summary>
    public long LastSeenTimestamp { get; set; }

    public double LastTrainingLoss { get; set; } = double.NaN;

    /// <summary>Staleness of the last accepted push when it was applied; 0 in synchronous steps.</summary>
    public long LastStaleness { get; set; }

    /// <summary>Results of this worker's recent pushes, for answering retries.</summary>
    public PushLedger Ledger { get; }
}
