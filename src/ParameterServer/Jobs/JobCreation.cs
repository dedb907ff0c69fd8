namespace ParamServer.Server.Jobs;

/// <summary>Result of <see cref="JobRegistry.CreateJob"/>: the job, and whether this call created it.</summary>
internal readonly record struct JobCreation(ShardJob Job, bool Created);
