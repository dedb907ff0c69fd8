using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Consistency;

public sealed class SynchronousOrderTests
{
    private const int Parameters = 4096;
    private const int Workers = 3;
    private const int Steps = 3;

    [Fact]
    public async Task Synchronous_OppositeArrivalOrders_BitIdenticalWeights()
    {
        float[][][] gradients = Gradients();

        float[] forward = await TrainAsync("forward", gradients, reverse: false);
        float[] backward = await TrainAsync("backward", gradients, reverse: true);

        // The data must be order-sensitive, or the test could not tell id order from arrival order.
        Assert.NotEqual(ReferenceWeights(gradients, reverse: true).Select(BitConverter.SingleToInt32Bits),
            ReferenceWeights(gradients, reverse: false).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(ReferenceWeights(gradients, reverse: false).Select(BitConverter.SingleToInt32Bits),
            forward.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(forward.Select(BitConverter.SingleToInt32Bits), backward.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>
    /// Runs the steps with the workers' pushes arriving one after another, in id order or in reverse; each push is
    /// accepted by the shard before the next is sent.
    /// </summary>
    private static async Task<float[]> TrainAsync(string jobId, float[][][] gradients, bool reverse)
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat(jobId, Parameters, learningRate: 1.0, minWorkers: Workers));
        var workers = new RegisterResponse[Workers];
        for (int w = 0; w < Workers; w++)
        {
            workers[w] = await client.RegisterAsync(jobId);
        }

        float[]? weights = null;
        for (int step = 0; step < Steps; step++)
        {
            var pushes = new List<Task<PushReply>>();
            for (int i = 0; i < Workers; i++)
            {
                int w = reverse ? Workers - 1 - i : i;
                pushes.Add(client.PushPullAsync(TestJobs.Header(workers[w], step, step), gradients[step][w]));
                if (i < Workers - 1)
                {
                    await shard.Job(jobId).WaitForAcceptedAsync(workers[w].WorkerId, step);
                }
            }

            PushReply[] replies = await Task.WhenAll(pushes).WaitAsync(TestTimeouts.Default);
            Assert.All(replies, reply => Assert.Equal(step + 1, reply.Result.Version));
            weights = replies[0].Weights;
        }

        return weights!;
    }

    /// <summary>SGD at lr 1 from zero with the mean of each step summed left to right in worker-id order (or reversed).</summary>
    private static float[] ReferenceWeights(float[][][] gradients, bool reverse)
    {
        var weights = new float[Parameters];
        for (int step = 0; step < Steps; step++)
        {
            for (int i = 0; i < Parameters; i++)
            {
                float sum = gradients[step][reverse ? Workers - 1 : 0][i];
                for (int k = 1; k < Workers; k++)
                {
                    sum += gradients[step][reverse ? Workers - 1 - k : k][i];
                }

                weights[i] -= sum / Workers;
            }
        }

        return weights;
    }

    /// <summary>Gradients of mixed magnitudes, so that summing in a different order rounds differently.</summary>
    private static float[][][] Gradients()
    {
        var random = new Random(42);
        var gradients = new float[Steps][][];
        for (int step = 0; step < Steps; step++)
        {
            gradients[step] = new float[Workers][];
            for (int w = 0; w < Workers; w++)
            {
                gradients[step][w] = new float[Parameters];
                for (int i = 0; i < Parameters; i++)
                {
                    double magnitude = Math.Pow(10, random.Next(-3, 9));
                    gradients[step][w][i] = (float)((random.NextDouble() * 2 - 1) * magnitude);
                }
            }
        }

        return gradients;
    }
}
