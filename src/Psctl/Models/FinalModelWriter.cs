using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Logging;
using ParamServer.Psctl.Rpc;

namespace ParamServer.Psctl.Models;

/// <summary>
/// Saves the final model of a run: every shard writes a checkpoint through the operator Checkpoint RPC (the
/// documented .psckpt format, with optimizer and schedule state), and the shards' checkpoints of that version
/// are combined into one safetensors file. When a shard cannot checkpoint, the weights are pulled instead and
/// only the safetensors file is written.
/// </summary>
public sealed class FinalModelWriter
{
    private readonly ILogger _logger;

    public FinalModelWriter(ILogger logger)
    {
        _logger = logger;
    }

    /// <returns>The model and the checkpoint paths, one per shard (empty when the weights were pulled).</returns>
    public async Task<(FinalModel Model, IReadOnlyList<string> Checkpoints)> SaveAsync(
        IReadOnlyList<ShardConnection> shards,
        JobSpec job,
        string checkpointRoot,
        string safetensorsPath,
        CancellationToken cancellationToken)
    {
        try
        {
            CheckpointResponse[] written = await Task.WhenAll(shards.Select(shard =>
                shard.Operator.CheckpointAsync(
                    new CheckpointRequest { JobId = job.JobId },
                    shard.CallOptions(cancellationToken, TimeSpan.FromMinutes(2))).ResponseAsync));
            IReadOnlyList<ShardCheckpoint> checkpoints = CheckpointCatalog.LoadJob(checkpointRoot, job.JobId, shards.Count);
            SafetensorsExporter.Export(checkpoints, safetensorsPath);
            float[] parameters = checkpoints.OrderBy(c => c.ShardIndex).SelectMany(c => c.Weights).ToArray();
            var model = new FinalModel(job, parameters, checkpoints.Min(c => c.Version));
            return (model, written.Select(w => w.Path).ToArray());
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            PsctlLog.FinalCheckpointFailed(_logger, job.JobId, ex.StatusCode, ex.Status.Detail);
        }
        catch (InvalidOperationException ex)
        {
            PsctlLog.FinalCheckpointUnreadable(_logger, job.JobId, checkpointRoot, ex);
        }

        FinalModel pulled = await ModelCollector.PullAsync(shards, job, cancellationToken);
        SafetensorsExporter.ExportModel(job, pulled.Version, pulled.Parameters, safetensorsPath);
        return (pulled, []);
    }
}
