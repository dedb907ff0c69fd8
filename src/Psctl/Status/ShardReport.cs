using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Status;

/// <summary>The status one shard returned, or why it could not be read.</summary>
/// <param name="Endpoint">The address as displayed, such as "127.0.0.1:50051".</param>
public sealed record ShardReport(string Endpoint, ShardStatus? Status, string? Error);
