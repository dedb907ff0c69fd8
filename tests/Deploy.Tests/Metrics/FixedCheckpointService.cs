using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;

namespace ParamServer.Deploy.Tests.Metrics;

/// <summary>A checkpoint service that reports a fixed status, so the checkpoint metrics have a source.</summary>
internal sealed class FixedCheckpointService : ICheckpointService
{
    public const double AgeSeconds = 12.5;
    public const long Written = 2;

    public Task<CheckpointResponse> CheckpointAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(new CheckpointResponse { Path = $"/ckpt/{jobId}", Version = 1 });

    public CheckpointStatus? GetStatus(string jobId) =>
        new() { HasCheckpoint = true, AgeSeconds = AgeSeconds, Written = Written, LastVersion = 1 };
}
