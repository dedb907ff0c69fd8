namespace ParamServer.Worker.Training;

/// <summary>Push outcomes this worker received, summed over shards.</summary>
public sealed record PushCounts(long Applied, long Merged, long Deduplicated, long RejectedStale);
