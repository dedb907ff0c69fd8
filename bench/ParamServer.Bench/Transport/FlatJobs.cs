using ParamServer.Protocol.V1;

namespace ParamServer.Bench.Transport;

/// <summary>
/// Jobs whose model is one flat float32 tensor, for measuring transport without a training workload: plain SGD at a
/// constant rate (the cheapest update, one read-modify-write pass), synchronous with one worker, so every push is
/// applied as soon as it arrives.
/// </summary>
internal static class FlatJobs
{
    public static JobSpec Create(string jobId, long elements, int shards) => new()
    {
        JobId = jobId,
        Model = new ModelSpec
        {
            Tensors =
            {
                new TensorSpec
                {
                    Name = "flat",
                    Shape = { elements },
                    Initializer = new InitializerSpec { Kind = InitializerKind.Zeros },
                },
            },
        },
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.01 },
        Consistency = new ConsistencySpec { Mode = ConsistencyMode.Synchronous, MinWorkers = 1 },
        NumShards = shards,
    };
}
