using Grpc.Core;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using Polly.CircuitBreaker;

namespace ParamServer.Worker.Training;

/// <summary>Evaluates the weights a session holds on the test set and reports the result to every shard.</summary>
internal static class EvaluationRound
{
    public static async Task<BatchStats> RunAsync(
        JobSession session,
        TrainingSettings settings,
        ITrainingProgress progress,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        BatchStats stats = session.EvaluateTestSet(settings.EvaluationBatchSize);
        var group = session.Group;
        long version = group.Version(0);
        TrainingLog.Evaluated(logger, group.JobId, version, stats.Count, stats.Loss, stats.Accuracy);
        progress.Evaluated(new EvaluationCompleted(group.JobId, group.WorkerId, version, stats.Loss, stats.Accuracy, stats.Count));

        // Each shard receives the version of its own slice, which differs from shard 0's after a shard restart.
        await Task.WhenAll(Enumerable.Range(0, group.Count).Select(async s =>
        {
            var report = new EvaluationReport
            {
                JobId = group.JobId,
                WorkerId = group.WorkerId,
                Version = group.Version(s),
                ValidationLoss = stats.Loss,
                Accuracy = stats.Accuracy,
                Samples = stats.Count,
            };
            try
            {
                await group.Shards[s].ReportEvaluationAsync(report, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or BrokenCircuitException && !cancellationToken.IsCancellationRequested)
            {
                TrainingLog.ReportFailed(logger, group.JobId, report.Version, s, e);
            }
        })).ConfigureAwait(false);
        return stats;
    }
}
