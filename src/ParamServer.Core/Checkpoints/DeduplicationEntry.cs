using ParamServer.Protocol.V1;

namespace ParamServer.Checkpoints;

/// <summary>
/// One accepted push the shard remembers for exactly-once delivery: the worker, its step and the result the shard
/// sent back. A worker has one entry per remembered push, oldest first. A retry of that push after a restart gets
/// the same result and is not applied again.
/// </summary>
public sealed record DeduplicationEntry(uint WorkerId, long Step, PushResult Result);
