using ParamServer.Protocol.V1;

namespace ParamServer.Server.Jobs;

/// <summary>
/// Writes and describes checkpoints of the shard's jobs. The operator's Checkpoint RPC, the Shutdown RPC with
/// checkpoint set and the status call use it when one is registered in the service collection; without one,
/// Checkpoint returns UNIMPLEMENTED.
/// </summary>
public interface ICheckpointService
{
    /// <summary>Writes a checkpoint of <paramref name="jobId"/> now and returns where it went.</summary>
    Task<CheckpointResponse> CheckpointAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Returns the checkpoint status of a job for <c>JobStatus.checkpoint</c>, or null when there is none.</summary>
    CheckpointStatus? GetStatus(string jobId);
}
