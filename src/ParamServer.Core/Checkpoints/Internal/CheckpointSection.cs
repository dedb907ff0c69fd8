namespace ParamServer.Checkpoints.Internal;

/// <summary>Section tags of format version 1, in the order a writer emits them.</summary>
internal enum CheckpointSection : uint
{
    Job = 1,
    Shard = 2,
    Weights = 3,
    Optimizer = 4,
    Schedule = 5,
    Deduplication = 6,
    Membership = 7,
    EpochAssignments = 8,
    Evaluation = 9,
}
