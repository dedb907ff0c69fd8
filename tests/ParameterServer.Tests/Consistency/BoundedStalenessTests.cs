using System.Runtime.InteropServices;
using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Consistency;

/// <summary>Step logic of bounded staleness, driven in-process on a job without the wire.</summary>
public sealed class BoundedStalenessTests
{
    [Theory]
    [InlineData(1, 11)]
    [InlineData(2, 12)]
    [InlineData(3, 13)]
    public async Task BoundedStaleness_RandomDelays_NeverExceedsBound(int bound, int seed)
    {
        const int Workers = 4;
        const int Steps = 40;
        ShardJob job = JobProbe.Standalone(
            TestJobs.Flat("ssp", 8, ConsistencyMode.BoundedStaleness, learningRate: 0.01, stalenessBound: bound));
        RegisterResponse[] workers = Enumerable.Range(0, Workers)
            .Select(_ => job.Register(new RegisterRequest { JobId = "ssp" }))
            .ToArray();

        // Logical clock: a violation is a worker that received weights for step c before some other worker had even
        // started to push step c - bound - 1. Reading the clock before a push and after a read keeps the check sound
        // whatever the scheduling.
        long clock = 0;
        var startedPush = new long[Workers, Steps];
        var gotWeights = new long[Workers, Steps + 1];
        var random = new Random(seed);
        int[][] delays = Enumerable.Range(0, Workers)
            .Select(_ => Enumerable.Range(0, Steps).Select(_ => random.Next(0, 4)).ToArray())
            .ToArray();

        Task[] loops = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (int step = 0; step < Steps; step++)
            {
                WeightsSnapshot snapshot = await job.AcquireWeightsAsync(0, step, CancellationToken.None)
                    .WaitAsync(TestTimeouts.Default);
                gotWeights[w, step] = Interlocked.Increment(ref clock);
                snapshot.Release();

                // Simulated compute of uneven length: worker 0 is the slowest on average.
                for (int i = 0; i < delays[w][step] * (w == 0 ? 3 : 1); i++)
                {
                    await Task.Yield();
                    await Task.Delay(1);
                }

                startedPush[w, step] = Interlocked.Increment(ref clock);
                byte[] gradient = job.RentGradient();
                MemoryMarshal.Cast<byte, float>(gradient.AsSpan()).Fill(1f);
                PushHeader header = TestJobs.Header(workers[w], step, job.Version, returnWeights: false);
                await job.SubmitAsync(header, gradient, CancellationToken.None).WaitAsync(TestTimeouts.Default);
            }
        })).ToArray();
        await Task.WhenAll(loops).WaitAsync(TestTimeouts.Default);

        for (int w = 0; w < Workers; w++)
        {
            for (int step = bound + 1; step < Steps; step++)
            {
                for (int other = 0; other < Workers; other++)
                {
                    Assert.True(
                        startedPush[other, step - bound - 1] < gotWeights[w, step],
                        $"worker {w} got weights for step {step} before worker {other} pushed step {step - bound - 1}");
                }
            }
        }

        Assert.Equal(Workers * Steps, job.Version);
    }

    [Fact]
    public async Task BoundedStaleness_WorkerAheadByBound_WaitsForSlowest()
    {
        ShardJob job = JobProbe.Standalone(TestJobs.Flat("wait", 1, ConsistencyMode.BoundedStaleness, stalenessBound: 1));
        RegisterResponse fast = job.Register(new RegisterRequest { JobId = "wait" });
        RegisterResponse slow = job.Register(new RegisterRequest { JobId = "wait" });
        await PushAsync(job, fast, 0);
        await PushAsync(job, fast, 1);

        // fast is about to compute step 2; with bound 1 the slowest must have pushed step 0 first.
        Task<WeightsSnapshot> read = job.AcquireWeightsAsync(0, 2, CancellationToken.None);
        await Assert.ThrowsAsync<TimeoutException>(() => read.WaitAsync(TestTimeouts.Absence));
        await PushAsync(job, slow, 0);
        WeightsSnapshot snapshot = await read.WaitAsync(TestTimeouts.Default);

        Assert.Equal(3, snapshot.Version);
        snapshot.Release();
    }

    [Fact]
    public async Task BoundedStalenessZero_SameUpdatesAsSynchronous_BitIdentical()
    {
        float[] synchronous = await TrainAsync(ConsistencyMode.Synchronous);
        float[] staleZero = await TrainAsync(ConsistencyMode.BoundedStaleness);

        Assert.Equal(synchronous.Select(BitConverter.SingleToInt32Bits), staleZero.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(0f, synchronous[0]);
    }

    private static async Task<float[]> TrainAsync(ConsistencyMode mode)
    {
        const int Workers = 3;
        const int Steps = 5;
        ShardJob job = JobProbe.Standalone(TestJobs.Flat("zero", 64, mode, learningRate: 0.1, stalenessBound: 0));
        RegisterResponse[] workers = Enumerable.Range(0, Workers)
            .Select(_ => job.Register(new RegisterRequest { JobId = "zero" }))
            .ToArray();
        var random = new Random(7);
        for (int step = 0; step < Steps; step++)
        {
            var pushes = new List<Task<PushResult>>();
            foreach (int w in Enumerable.Range(0, Workers).OrderBy(_ => random.Next()))
            {
                byte[] gradient = job.RentGradient();
                Span<float> values = MemoryMarshal.Cast<byte, float>(gradient.AsSpan());
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextDouble() * Math.Pow(10, random.Next(-2, 6)));
                }

                pushes.Add(job.SubmitAsync(TestJobs.Header(workers[w], step, step), gradient, CancellationToken.None));
            }

            PushResult[] results = await Task.WhenAll(pushes).WaitAsync(TestTimeouts.Default);
            Assert.All(results, result => Assert.Equal(step + 1, result.Version));
        }

        WeightsSnapshot snapshot = await job.AcquireWeightsAsync(Steps, null, CancellationToken.None);
        float[] weights = snapshot.Values.ToArray();
        snapshot.Release();
        return weights;
    }

    private static async Task PushAsync(ShardJob job, RegisterResponse worker, long step)
    {
        byte[] gradient = job.RentGradient();
        MemoryMarshal.Cast<byte, float>(gradient.AsSpan()).Fill(1f);
        await job.SubmitAsync(TestJobs.Header(worker, step, job.Version, returnWeights: false), gradient, CancellationToken.None)
            .WaitAsync(TestTimeouts.Default);
    }
}
