using ParamServer.Protocol.V1;

namespace ParamServer.Server.Tests.Infrastructure;

/// <summary>Job specs for tests: one flat tensor, SGD at a constant rate.</summary>
internal static class TestJobs
{
    public static JobSpec Flat(
        string jobId,
        long parameters,
        ConsistencyMode mode = ConsistencyMode.Synchronous,
        double learningRate = 1.0,
        double initialValue = 0,
        int minWorkers = 0,
        int stalenessBound = 0,
        int numShards = 1)
    {
        return new JobSpec
        {
            JobId = jobId,
            NumShards = numShards,
            Model = new ModelSpec
            {
                Tensors =
                {
                    new TensorSpec
                    {
                        Name = "w",
                        Shape = { parameters },
                        Initializer = new InitializerSpec { Kind = InitializerKind.Constant, Value = initialValue },
                    },
                },
            },
            Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
            Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = learningRate },
            Consistency = new ConsistencySpec { Mode = mode, MinWorkers = minWorkers, StalenessBound = stalenessBound },
        };
    }

    public static PushHeader Header(RegisterResponse registration, long step, long baseVersion, bool returnWeights = true) =>
        new()
        {
            JobId = registration.Job.JobId,
            WorkerId = registration.WorkerId,
            WorkerStep = step,
            BaseVersion = baseVersion,
            ShardIndex = registration.ShardIndex,
            RangeStart = registration.RangeStart,
            Length = registration.RangeLength,
            BatchSize = 1,
            ReturnWeights = returnWeights,
        };
}
