using ParamServer.Checkpoints;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Server.Checkpoints;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;
using ParamServer.Sharding;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>
/// Resuming an optimizer and schedule from a checkpoint file continues bit for bit where the uninterrupted run goes.
/// </summary>
public sealed class OptimizerResumeTests : IDisposable
{
    private const int Steps = 40;
    private const int CheckpointStep = 15;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Resume_AdamCosine_MatchesUninterruptedRun()
    {
        JobSpec job = CheckpointSamples.Job();
        job.Optimizer = new OptimizerSpec { Kind = OptimizerKind.Adam, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-6 };
        job.Schedule = new ScheduleSpec
        {
            Kind = ScheduleKind.Cosine, BaseLearningRate = 0.05, DecaySteps = 30, EndLearningRate = 0.001,
            WarmupSteps = 5, WarmupStartFactor = 0.1,
        };

        AssertResumeIsExact(job, reportLossEvery: 0);
    }

    [Fact]
    public void Resume_RmsPropPlateau_MatchesUninterruptedRun()
    {
        JobSpec job = CheckpointSamples.Job();
        job.Optimizer = new OptimizerSpec { Kind = OptimizerKind.Rmsprop, Rho = 0.9, Momentum = 0.5, Centered = true };
        job.Schedule = new ScheduleSpec
        {
            Kind = ScheduleKind.Plateau, BaseLearningRate = 0.02, PlateauFactor = 0.5, PlateauPatience = 1,
            PlateauCooldown = 1,
        };

        AssertResumeIsExact(job, reportLossEvery: 2);
    }

    private void AssertResumeIsExact(JobSpec job, int reportLossEvery)
    {
        ShardRange range = RangePartitioner.RangeOf(ModelLayout.Create(job.Model).TotalElements, 2, 1);
        var reference = new SimulatedShard(job, range);
        var (referenceWeights, referenceRates) = reference.Run(0, Steps, reportLossEvery);

        var interrupted = new SimulatedShard(job, range);
        interrupted.Run(0, CheckpointStep, reportLossEvery);
        string path = Path.Combine(_directory.Path, CheckpointPaths.FileName(CheckpointStep));
        CheckpointFile.WriteFile(path, interrupted.Capture());

        var resumed = SimulatedShard.Restore(CheckpointFile.Read(path));
        var (resumedWeights, resumedRates) = resumed.Run(CheckpointStep, Steps, reportLossEvery);

        for (int step = CheckpointStep; step < Steps; step++)
        {
            Assert.Equal(referenceRates[step], resumedRates[step - CheckpointStep]);
            Assert.Equal(referenceWeights[step], resumedWeights[step - CheckpointStep]);
        }

        Assert.Equal(reference.Optimizer.UpdateCount, resumed.Optimizer.UpdateCount);
        Assert.Equal(reference.Schedule.CaptureState(), resumed.Schedule.CaptureState());
    }

    /// <summary>One shard's update loop with a deterministic gradient that depends on the weights and the step.</summary>
    private sealed class SimulatedShard
    {
        public SimulatedShard(JobSpec job, ShardRange range)
        {
            Job = job;
            Range = range;
            Weights = [.. Enumerable.Range(0, (int)range.Length).Select(i => MathF.Sin(i + 1))];
            Optimizer = OptimizerFactory.Create(job.Optimizer, (int)range.Length);
            Schedule = ScheduleFactory.Create(job.Schedule);
        }

        public JobSpec Job { get; }

        public ShardRange Range { get; }

        public float[] Weights { get; }

        public IOptimizer Optimizer { get; }

        public ILearningRateSchedule Schedule { get; }

        public long Version { get; private set; }

        public static SimulatedShard Restore(ShardCheckpoint checkpoint)
        {
            var shard = new SimulatedShard(checkpoint.Job, checkpoint.Range) { Version = checkpoint.Version };
            checkpoint.Weights.CopyTo(shard.Weights, 0);
            CheckpointStateMapper.RestoreOptimizer(shard.Optimizer, checkpoint);
            shard.Schedule.RestoreState(CheckpointStateMapper.ToScheduleState(checkpoint.Schedule));
            return shard;
        }

        public ShardCheckpoint Capture() => new()
        {
            Job = Job,
            ShardIndex = 1,
            ShardCount = 2,
            Range = Range,
            Version = Version,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Weights = (float[])Weights.Clone(),
            OptimizerUpdateCount = Optimizer.UpdateCount,
            OptimizerBuffers = CheckpointStateMapper.CaptureBuffers(Optimizer),
            Schedule = CheckpointStateMapper.ToCheckpoint(Schedule.CaptureState()),
            Deduplication = [],
        };

        /// <summary>Runs steps [from, to); returns the weights after and the rate of each step.</summary>
        public (List<float[]> Weights, List<double> Rates) Run(long from, long to, int reportLossEvery)
        {
            Assert.Equal(from, Version);
            var weights = new List<float[]>();
            var rates = new List<double>();
            float[] gradient = new float[Weights.Length];
            for (long step = from; step < to; step++)
            {
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = Weights[i] - (0.3f * MathF.Cos(step + i));
                }

                double rate = Schedule.GetLearningRate(step);
                Optimizer.Apply(Weights, gradient, rate);
                Version = step + 1;
                if (reportLossEvery > 0 && Version % reportLossEvery == 0)
                {
                    // A loss that stalls from step 10 on, so the plateau schedule reduces and cools down.
                    Schedule.ReportValidationLoss(Version, Math.Max(1.0, 2.0 - (Version / 10.0)));
                }

                weights.Add((float[])Weights.Clone());
                rates.Add(rate);
            }

            return (weights, rates);
        }
    }
}
