using ParamServer.Model;
using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Job specs for loop tests: softmax regression trained with SGD at a constant rate.</summary>
internal static class TestJobs
{
    public static JobSpec Softmax(
        string jobId,
        int shards,
        int features = 8,
        int classes = 4,
        int trainSamples = 512,
        int batchSize = 32,
        int epochs = 3,
        double learningRate = 0.5,
        ConsistencyMode mode = ConsistencyMode.Synchronous,
        int stalenessBound = 0,
        long maxSteps = 0,
        long evalEverySteps = 0) => new()
    {
        JobId = jobId,
        NumShards = shards,
        Model = MlpModel.CreateSpec([features, classes], seed: 7),
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = learningRate },
        Consistency = new ConsistencySpec { Mode = mode, StalenessBound = stalenessBound },
        Training = new TrainingSpec
        {
            Dataset = "synthetic",
            BatchSize = batchSize,
            Epochs = epochs,
            DataSeed = 11,
            MaxSteps = maxSteps,
            EvalEverySteps = evalEverySteps,
            Synthetic = new SyntheticDataSpec
            {
                Features = features,
                Classes = classes,
                TrainSamples = trainSamples,
                TestSamples = 256,
                Seed = 3,
            },
        },
    };
}
