using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Client;

/// <summary>What a shard answered to one push: the result and, when requested, the header of the fresh weights.</summary>
public sealed record PushReply(PushResult Result, WeightsHeader? Weights);
