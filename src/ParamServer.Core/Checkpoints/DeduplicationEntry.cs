using ParamServer.Protocol.V1;

namespace ParamServer.Checkpoints;

/// <summary>
/// The last push a shard accepted from one worker and the result it sent back. A retry of that push after a restart
/// gets the same result and is not applied again.
/// </summary>
public sealed record DeduplicationEntry(uint WorkerId, long LastStep, PushResult Result);
