using System.Globalization;
using System.Text;
using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Status;

/// <summary>
/// Renders the status of one shard or of all shards of a cluster as plain-text tables: per job a row per shard
/// (range, version, learning rate, push outcomes, bytes, checkpoint), the job's settings and last evaluation,
/// the workers as the coordinator (shard 0) or the first reachable shard reports them, the slowest worker, and the
/// recent joins, departures and evictions of every shard.
/// </summary>
public static class StatusTableRenderer
{
    public static string Render(IReadOnlyList<ShardReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var output = new StringBuilder();
        var reachable = reports.Where(r => r.Status is not null).OrderBy(r => r.Status!.ShardIndex).ToList();

        foreach (ShardReport failed in reports.Where(r => r.Status is null))
        {
            output.Append(CultureInfo.InvariantCulture, $"{failed.Endpoint}: GetStatus failed: {failed.Error}\n");
        }

        if (reachable.Count == 0)
        {
            return output.ToString();
        }

        ShardStatus first = reachable[0].Status!;
        output.Append(CultureInfo.InvariantCulture,
            $"Cluster of {first.NumShards} shard(s); {reachable.Count} reporting; server {Blank(first.ServerVersion)}\n");

        var jobIds = reachable.SelectMany(r => r.Status!.Jobs.Select(j => j.JobId)).Distinct().Order().ToList();
        if (jobIds.Count == 0)
        {
            output.Append("No jobs.\n");
        }

        foreach (string jobId in jobIds)
        {
            var rows = reachable
                .Select(r => (Report: r, Job: r.Status!.Jobs.FirstOrDefault(j => j.JobId == jobId)))
                .Where(x => x.Job is not null)
                .Select(x => (x.Report, Job: x.Job!))
                .ToList();
            output.Append('\n');
            RenderJob(output, jobId, rows);
        }

        return output.ToString();
    }

    private static void RenderJob(StringBuilder output, string jobId, List<(ShardReport Report, JobStatus Job)> rows)
    {
        JobStatus lead = rows[0].Job;
        output.Append(CultureInfo.InvariantCulture, $"Job {jobId}: {SpecText.Describe(lead.Consistency)}\n");
        output.Append(CultureInfo.InvariantCulture, $"  Optimizer: {SpecText.Describe(lead.Optimizer)}\n");
        output.Append(CultureInfo.InvariantCulture, $"  Schedule:  {SpecText.Describe(lead.Schedule)}\n");
        output.Append(CultureInfo.InvariantCulture,
            $"  Model:     {Units.Integer(lead.TotalParameters)} parameters\n\n");

        var shards = new TextTable(
                "SHARD", "ENDPOINT", "RANGE", "VERSION", "LR", "STEPS/S", "APPLIED", "MERGED", "DEDUP", "STALE",
                "REJECTED", "BYTES IN", "BYTES OUT", "CHECKPOINT", "UPTIME")
            .AlignRight("VERSION", "STEPS/S", "APPLIED", "MERGED", "DEDUP", "STALE", "REJECTED", "BYTES IN",
                "BYTES OUT");
        foreach ((ShardReport report, JobStatus job) in rows)
        {
            string lr = Units.Number(job.LearningRate) + (job.LearningRateOverridden ? " (set)" : string.Empty);
            shards.AddRow(
                report.Status!.ShardIndex.ToString(CultureInfo.InvariantCulture),
                report.Endpoint,
                $"[{job.RangeStart}, {job.RangeStart + job.RangeLength})",
                Units.Integer(job.Version),
                lr,
                Units.Rate(job.StepsPerSecond),
                Units.Integer(job.PushesApplied),
                Units.Integer(job.PushesMerged),
                Units.Integer(job.PushesDeduplicated),
                Units.Integer(job.PushesRejectedStale),
                Units.Integer(job.PushesRejected.Values.Sum()),
                Units.Bytes(job.BytesIn),
                Units.Bytes(job.BytesOut),
                DescribeCheckpoint(job.Checkpoint),
                Units.Duration(report.Status.UptimeSeconds));
        }

        shards.WriteTo(output, "  ");

        var rejected = rows.SelectMany(r => r.Job.PushesRejected)
            .GroupBy(p => p.Key, p => p.Value)
            .Where(g => g.Sum() > 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Sum()}")
            .ToList();
        if (rejected.Count > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  Rejected pushes by reason: {string.Join(", ", rejected)}\n");
        }

        JobStatus? evaluated = rows.Select(r => r.Job).Where(j => j.HasEvaluation)
            .OrderByDescending(j => j.LastEvaluationVersion).FirstOrDefault();
        output.Append(evaluated is null
            ? "  Last evaluation: none reported\n"
            : string.Create(CultureInfo.InvariantCulture,
                $"  Last evaluation: accuracy {Units.Percent(evaluated.LastValidationAccuracy)}, loss {Units.Number(evaluated.LastValidationLoss)} at version {evaluated.LastEvaluationVersion}\n"));
        output.Append(CultureInfo.InvariantCulture,
            $"  Training loss:   {Units.Number(lead.LastTrainingLoss)}; evictions {rows.Max(r => r.Job.Evictions)}\n");

        RenderWorkers(output, rows);
        RenderEvents(output, rows);
    }

    private static void RenderWorkers(StringBuilder output, List<(ShardReport Report, JobStatus Job)> rows)
    {
        (ShardReport source, JobStatus job) = rows[0];
        output.Append(CultureInfo.InvariantCulture,
            $"\n  Workers ({job.Workers.Count}, as shard {source.Status!.ShardIndex} sees them):\n");
        if (job.Workers.Count == 0)
        {
            output.Append("    none registered\n");
            return;
        }

        var workers = new TextTable("ID", "NAME", "STEP", "STALENESS", "HEARTBEAT", "LOSS", "ROLE")
            .AlignRight("ID", "STEP", "STALENESS", "HEARTBEAT", "LOSS");
        foreach (WorkerStatus worker in job.Workers.OrderBy(w => w.WorkerId))
        {
            workers.AddRow(
                worker.WorkerId.ToString(CultureInfo.InvariantCulture),
                Blank(worker.Name),
                Units.Integer(worker.LastStep),
                Units.Integer(worker.Staleness),
                Units.Duration(worker.SecondsSinceHeartbeat) + " ago",
                Units.Number(worker.LastTrainingLoss),
                worker.Evaluator ? "evaluator" : "trainer");
        }

        workers.WriteTo(output, "    ");
        WorkerStatus? slowest = job.Workers.FirstOrDefault(w => w.WorkerId == job.SlowestWorkerId);
        if (job.SlowestWorkerId != 0)
        {
            string name = slowest is null ? string.Empty : $" ({Blank(slowest.Name)})";
            output.Append(CultureInfo.InvariantCulture,
                $"  Slowest worker: {job.SlowestWorkerId}{name} at step {job.SlowestWorkerStep}\n");
        }
    }

    private static void RenderEvents(StringBuilder output, List<(ShardReport Report, JobStatus Job)> rows)
    {
        var events = rows
            .SelectMany(r => r.Job.RecentEvents.Select(e => (Shard: r.Report.Status!.ShardIndex, Event: e)))
            .OrderBy(x => x.Event.UnixTimeSeconds)
            .ThenBy(x => x.Shard)
            .ToList();
        output.Append("\n  Recent membership events:\n");
        if (events.Count == 0)
        {
            output.Append("    none\n");
            return;
        }

        var table = new TextTable("TIME (UTC)", "SHARD", "EVENT", "WORKER", "REASON").AlignRight("SHARD", "WORKER");
        foreach ((int shard, MembershipEvent membership) in events)
        {
            DateTimeOffset time = DateTimeOffset.FromUnixTimeMilliseconds((long)(membership.UnixTimeSeconds * 1000));
            table.AddRow(
                time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                shard.ToString(CultureInfo.InvariantCulture),
                membership.Kind,
                membership.WorkerId.ToString(CultureInfo.InvariantCulture),
                membership.Reason);
        }

        table.WriteTo(output, "    ");
    }

    private static string DescribeCheckpoint(CheckpointStatus? checkpoint)
    {
        if (checkpoint is null || !checkpoint.HasCheckpoint)
        {
            return checkpoint is { Restored: true }
                ? $"none (restored from {checkpoint.RestoredVersion})"
                : "none";
        }

        string text = $"step {checkpoint.LastVersion}, {Units.Duration(checkpoint.AgeSeconds)} ago";
        return checkpoint.Restored ? $"{text} (restored from {checkpoint.RestoredVersion})" : text;
    }

    private static string Blank(string value) => string.IsNullOrEmpty(value) ? "-" : value;
}
