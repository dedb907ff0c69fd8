using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Schedules;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Bench.Distribution;

/// <summary>
/// The baseline of the distribution figure: the same synchronous training as a cluster of
/// <c>workers</c> trainers, in one loop without gRPC. Each step computes the gradient of every rank's minibatch with
/// the worker's engine and averages them as a synchronous shard does. It then applies the job's optimizer to the
/// full vector at the job's scheduled rate and loads the new weights into the engine.
/// </summary>
internal static class InProcessTrainer
{
    public static TrainingClock Run(
        JobSpec job,
        IDataSource data,
        int workers,
        double targetAccuracy,
        int warmupSteps,
        CancellationToken cancellationToken)
    {
        TrainingSpec training = job.Training;
        ModelLayout layout = ModelLayout.Create(job.Model);
        int length = checked((int)layout.TotalElements);
        var weights = new float[length];
        TensorInitializer.FillRange(layout, 0, weights);
        var sum = new float[length];
        var gradient = new float[length];
        ElementwiseOptimizer optimizer = OptimizerFactory.Create(job.Optimizer, length);
        LearningRateSchedule schedule = ScheduleFactory.Create(job.Schedule);
        using IGradientEngine engine = new AutoEngineFactory().Create(job.Model, training.BatchSize);
        engine.SetWeights(weights);
        var batch = new MinibatchBuffer(training.BatchSize, data.Features);
        var clock = new TrainingClock(targetAccuracy, warmupSteps);
        long version = 0;
        long lastEvaluated = 0;
        clock.Start();
        for (long epoch = 0; epoch < Math.Max(1, training.Epochs); epoch++)
        {
            var samplers = Enumerable.Range(0, workers)
                .Select(rank => new EpochSampler(data.Train.Count, training.DataSeed, epoch, rank, workers))
                .ToArray();
            int steps = EpochSampler.MaxBatchCount(data.Train.Count, workers, training.BatchSize);
            for (int b = 0; b < steps; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int contributors = 0;
                foreach (EpochSampler sampler in samplers)
                {
                    if (b >= sampler.BatchCount(training.BatchSize))
                    {
                        continue;
                    }

                    batch.Gather(data.Train, sampler.Batch(b, training.BatchSize));
                    engine.ComputeGradient(batch.Inputs, batch.Labels, batch.Count, contributors == 0 ? sum : gradient);
                    if (contributors > 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(sum, gradient, sum);
                    }

                    contributors++;
                }

                if (contributors > 1)
                {
                    System.Numerics.Tensors.TensorPrimitives.Divide(sum, contributors, sum);
                }

                if (contributors > 0)
                {
                    optimizer.Apply(weights, sum, schedule.GetLearningRate(version));
                    engine.SetWeights(weights);
                }

                version++;
                clock.StepCompleted(version);
                if (training.EvalEverySteps > 0 && version >= lastEvaluated + training.EvalEverySteps)
                {
                    lastEvaluated = version;
                    BatchStats stats = engine.Evaluate(data.Test.Inputs, data.Test.Labels, data.Test.Count);
                    if (clock.Evaluated(version, stats.Accuracy))
                    {
                        return clock;
                    }
                }

                if (training.MaxSteps > 0 && version >= training.MaxSteps)
                {
                    return clock;
                }
            }
        }

        return clock;
    }
}
