using System.Text.Json;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Status;

namespace ParamServer.Psctl.Tests.Status;

public sealed class StatusTableRendererTests
{
    [Fact]
    public void Render_OneShard_PrintsFullReport()
    {
        string text = StatusTableRenderer.Render([new ShardReport("127.0.0.1:50051", Shard(0, version: 120), null)]);

        const string expected = """
            Cluster of 2 shard(s); 1 reporting; server 1.0.0

            Job mnist: synchronous
              Optimizer: momentum, mu 0.9
              Schedule:  polynomial 0.1 -> 0.001 over 1170 steps, power 1
              Model:     235146 parameters

              SHARD  ENDPOINT         RANGE        VERSION  LR      STEPS/S  APPLIED  MERGED  DEDUP  STALE  REJECTED   BYTES IN  BYTES OUT  CHECKPOINT         UPTIME
              0      127.0.0.1:50051  [0, 117573)      120  0.0899      5.5        0     240      1      0         2  107.7 MiB  107.7 MiB  step 100, 12s ago  1m05s
              Rejected pushes by reason: non_finite 2
              Last evaluation: accuracy 96.50%, loss 0.1234 at version 100
              Training loss:   0.25; evictions 1

              Workers (2, as shard 0 sees them):
                ID  NAME      STEP  STALENESS  HEARTBEAT  LOSS  ROLE
                 1  worker-0   120          0   0.3s ago  0.24  evaluator
                 2  worker-1   119          1   1.5s ago  0.26  trainer
              Slowest worker: 2 (worker-1) at step 119

              Recent membership events:
                TIME (UTC)  SHARD  EVENT    WORKER  REASON
                00:00:10        0  joined        1
                00:01:40        0  evicted       3  heartbeat timeout
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", text);
    }

    [Fact]
    public void Render_TwoShards_OneRowEachInIndexOrder()
    {
        string text = StatusTableRenderer.Render(
        [
            new ShardReport("127.0.0.1:2", Shard(1, version: 120), null),
            new ShardReport("127.0.0.1:1", Shard(0, version: 120), null),
        ]);

        string[] lines = text.Split('\n');
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("SHARD", StringComparison.Ordinal));
        Assert.StartsWith("  0      127.0.0.1:1", lines[header + 1]);
        Assert.StartsWith("  1      127.0.0.1:2", lines[header + 2]);
        Assert.Contains("[117573, 235146)", lines[header + 2]);
        Assert.StartsWith("Cluster of 2 shard(s); 2 reporting", text);
    }

    [Fact]
    public void Render_UnreachableShard_ListsError()
    {
        string text = StatusTableRenderer.Render(
        [
            new ShardReport("127.0.0.1:1", Shard(0, version: 5), null),
            new ShardReport("127.0.0.1:2", null, "Unavailable: connection refused"),
        ]);

        Assert.StartsWith("127.0.0.1:2: GetStatus failed: Unavailable: connection refused\n", text);
    }

    [Fact]
    public void Render_RestoredCheckpoint_ShowsRestoredVersion()
    {
        ShardStatus status = Shard(0, version: 300);
        status.Jobs[0].Checkpoint = new CheckpointStatus
        {
            HasCheckpoint = true, LastVersion = 300, AgeSeconds = 2, Restored = true, RestoredVersion = 250,
        };

        string text = StatusTableRenderer.Render([new ShardReport("h:1", status, null)]);

        Assert.Contains("step 300, 2.0s ago (restored from 250)", text);
    }

    [Fact]
    public void Json_RoundTripsFieldsAndErrors()
    {
        string json = StatusJson.Render(
        [
            new ShardReport("127.0.0.1:1", Shard(0, version: 120), null),
            new ShardReport("127.0.0.1:2", null, "Unavailable"),
        ], indented: true);

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement shards = document.RootElement.GetProperty("shards");
        Assert.Equal(2, shards.GetArrayLength());
        JsonElement job = shards[0].GetProperty("status").GetProperty("jobs")[0];
        Assert.Equal("mnist", job.GetProperty("jobId").GetString());
        Assert.Equal("120", job.GetProperty("version").GetString());
        Assert.Equal(2, job.GetProperty("workers").GetArrayLength());
        Assert.Equal("Unavailable", shards[1].GetProperty("error").GetString());
    }

    private static ShardStatus Shard(int index, long version)
    {
        var job = new JobStatus
        {
            JobId = "mnist",
            RangeStart = index == 0 ? 0 : 117573,
            RangeLength = 117573,
            TotalParameters = 235146,
            Version = version,
            LearningRate = 0.0899,
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.Momentum, Momentum = 0.9 },
            Schedule = new ScheduleSpec
            {
                Kind = ScheduleKind.Polynomial, BaseLearningRate = 0.1, EndLearningRate = 0.001, DecaySteps = 1170,
                Power = 1,
            },
            Consistency = new ConsistencySpec { Mode = ConsistencyMode.Synchronous },
            PushesMerged = 240,
            PushesDeduplicated = 1,
            PushesRejected = { ["non_finite"] = 2, ["out_of_order"] = 0 },
            BytesIn = 112_896_000,
            BytesOut = 112_896_000,
            HasEvaluation = true,
            LastValidationAccuracy = 0.965,
            LastValidationLoss = 0.1234,
            LastEvaluationVersion = 100,
            SlowestWorkerId = 2,
            SlowestWorkerStep = 119,
            Evictions = 1,
            StepsPerSecond = 5.5,
            LastTrainingLoss = 0.25,
            Checkpoint = new CheckpointStatus { HasCheckpoint = true, LastVersion = 100, AgeSeconds = 12 },
        };
        job.Workers.Add(new WorkerStatus
        {
            WorkerId = 1, Name = "worker-0", LastStep = 120, SecondsSinceHeartbeat = 0.3, Staleness = 0, Evaluator = true,
            LastTrainingLoss = 0.24,
        });
        job.Workers.Add(new WorkerStatus
        {
            WorkerId = 2, Name = "worker-1", LastStep = 119, SecondsSinceHeartbeat = 1.5, Staleness = 1,
            LastTrainingLoss = 0.26,
        });
        job.RecentEvents.Add(new MembershipEvent { Kind = "joined", WorkerId = 1, UnixTimeSeconds = 10 });
        job.RecentEvents.Add(new MembershipEvent
        {
            Kind = "evicted", WorkerId = 3, UnixTimeSeconds = 100, Reason = "heartbeat timeout",
        });
        return new ShardStatus
        {
            ShardIndex = index, NumShards = 2, UptimeSeconds = 65, ServerVersion = "1.0.0", Jobs = { job },
        };
    }
}
