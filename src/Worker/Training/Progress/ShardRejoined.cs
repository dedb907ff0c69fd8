namespace ParamServer.Worker.Training;

/// <summary>A shard forgot the worker, and the worker registered with it again.</summary>
/// <param name="NextStep">The step the shard expects next from the worker.</param>
public sealed record ShardRejoined(string JobId, uint WorkerId, int Shard, long NextStep, long Version);
