using ParamServer.Checkpoints;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>Small jobs and checkpoints with distinct, recognizable values in every field.</summary>
internal static class CheckpointSamples
{
    /// <summary>A 2-layer MLP job (4 -> 3 -> 2: 12 + 3 + 6 + 2 = 23 parameters) with Adam and a cosine schedule.</summary>
    public static JobSpec Job(string jobId = "mnist-test", int shards = 2) => new()
    {
        JobId = jobId,
        Model = MlpModel.CreateSpec([4, 3, 2], seed: 7),
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Adam, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-7 },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, BaseLearningRate = 0.01, DecaySteps = 50 },
        Consistency = new ConsistencySpec { Mode = ConsistencyMode.Synchronous, MinWorkers = 1 },
        Training = new TrainingSpec { Dataset = "synthetic", BatchSize = 8, Epochs = 1 },
        NumShards = shards,
    };

    public static ShardCheckpoint Checkpoint(
        long version = 42,
        int shardIndex = 1,
        int shardCount = 2,
        JobSpec? job = null,
        bool membership = true)
    {
        job ??= Job(shards: shardCount);
        ShardRange range = RangePartitioner.RangeOf(ModelLayout.Create(job.Model).TotalElements, shardCount, shardIndex);
        float[] weights = Enumerable.Range(0, (int)range.Length).Select(i => (i * 0.25f) - 1.5f + version).ToArray();
        return new ShardCheckpoint
        {
            Job = job,
            ShardIndex = shardIndex,
            ShardCount = shardCount,
            Range = range,
            Version = version,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123),
            Weights = weights,
            OptimizerUpdateCount = Math.Max(0, version - 2),
            OptimizerBuffers =
            [
                new CheckpointBuffer("exp_avg", weights.Select(w => w / 10).ToArray()),
                new CheckpointBuffer("exp_avg_sq", weights.Select(w => w * w).ToArray()),
            ],
            Schedule = new CheckpointScheduleState(0.25, 0.125, 3, 1, 9),
            LearningRateOverride = 0.003,
            Deduplication =
            [
                new DeduplicationEntry(1, version - 2, new PushResult
                {
                    Outcome = PushOutcome.Merged, Version = version - 1, LearningRate = 0.0096, Contributors = 2,
                }),
                new DeduplicationEntry(1, version - 1, new PushResult
                {
                    Outcome = PushOutcome.Merged, Version = version, LearningRate = 0.0095, Contributors = 2,
                }),
                new DeduplicationEntry(2, version - 1, new PushResult
                {
                    Outcome = PushOutcome.Merged, Version = version, LearningRate = 0.0095, Contributors = 2,
                }),
            ],
            Membership = membership
                ? new CheckpointMembership(4, [
                    new CheckpointMember(1, "worker-a", false, version, true, version - 1),
                    new CheckpointMember(2, "worker-b", false, version, true, version - 1),
                    new CheckpointMember(3, "évaluateur", true, 0, false, 0)])
                : null,
            EpochAssignments = new Dictionary<long, uint[]> { [0] = [1, 2], [1] = [2] },
            LastEvaluation = new CheckpointEvaluation(version - 5, 0.31, 0.9125, 10_000),
        };
    }
}
