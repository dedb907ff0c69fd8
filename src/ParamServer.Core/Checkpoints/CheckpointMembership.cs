namespace ParamServer.Checkpoints;

/// <summary>
/// Registered workers and the next worker id the coordinator assigns, so a restarted coordinator never hands out an
/// id that workers of the running job still use.
/// </summary>
public sealed record CheckpointMembership(uint NextWorkerId, IReadOnlyList<CheckpointMember> Members);
