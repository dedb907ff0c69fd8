using System.Globalization;
using ParamServer.Bench.Transport;
using ParamServer.Transport;
using ParamServer.Worker.Client;

namespace ParamServer.Bench;

/// <summary>
/// Managed allocation per steady-state PushPull step, against the payload the step moves. The worker's client and an
/// in-process shard both count, because GC.GetTotalAllocatedBytes covers every thread. The report adds the
/// collections and GC pause time of the measured steps and a sampled profile of what allocated.
/// </summary>
public sealed class AllocationBenchmark : IBenchmark
{
    public string Name => "allocations";

    public string Description => "managed bytes allocated per steady-state PushPull step, client and shard together";

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        (long Bytes, int Steps)[] sizes = options.Quick
            ? [(64 << 10, 50), (1 << 20, 20)]
            : [(64 << 10, 400), (1 << 20, 100), (16 << 20, 20), (200_000_000, 4)];
        var rows = new List<BenchmarkRow>();
        var notes = new List<string> { $"load average (1, 5, 15 min) before: {BenchStatistics.LoadAverage()}" };
        foreach ((long bytes, int steps) in sizes)
        {
            foreach (int chunkBytes in ChunkSizes)
            {
                await MeasureAsync(bytes, steps, chunkBytes, rows, notes, cancellationToken).ConfigureAwait(false);
            }
        }

        notes.Add("allocated bytes come from GC.GetTotalAllocatedBytes(true) around the measured steps after a warm-up " +
                  "and a full collection; client, Kestrel, gRPC and the shard run in this one process");
        notes.Add("payload counts the gradient in and the weights out; the sampled top comes from the runtime's " +
                  "GCAllocationTick events (one about every 100 KB)");
        notes.Add($"load average (1, 5, 15 min) after: {BenchStatistics.LoadAverage()}");
        return new BenchmarkReport(Name, "payload bytes of the same step (gradient + weights)", rows, notes);
    }

    /// <summary>
    /// Chunk sizes measured per payload: the default (1 MiB), whose received chunks land on the large object heap,
    /// and 64 KiB, below the 85,000-byte threshold of the large object heap.
    /// </summary>
    private static readonly int[] ChunkSizes = [FloatPayload.DefaultChunkBytes, 64 << 10];

    private static async Task MeasureAsync(
        long bytes,
        int steps,
        int chunkBytes,
        List<BenchmarkRow> rows,
        List<string> notes,
        CancellationToken cancellationToken)
    {
        Profile p = await ProfileAsync(bytes, steps, chunkBytes, cancellationToken).ConfigureAwait(false);
        string size = $"{BenchStatistics.SizeName(bytes)}, {BenchStatistics.SizeName(chunkBytes)} chunks,";
        double payload = 2.0 * bytes;
        rows.Add(new BenchmarkRow($"{size} allocated per step vs payload per step", p.BytesPerStep, "bytes", payload,
            p.BytesPerStep / payload));
        rows.Add(new BenchmarkRow($"{size} GC pause per step vs step time", p.PauseMsPerStep, "ms", p.StepMs,
            p.PauseMsPerStep / p.StepMs));
        string top = string.Join("; ", p.Top.Select(t => string.Create(
            CultureInfo.InvariantCulture, $"{t.Key} {t.Value / (double)steps / 1024:F0} KiB/step")));
        notes.Add($"{size} {steps} steps, collections gen0/gen1/gen2 {p.Gen0}/{p.Gen1}/{p.Gen2}, sampled top: {top}");
    }

    private static async Task<Profile> ProfileAsync(long bytes, int steps, int chunkBytes, CancellationToken cancellationToken)
    {
        const string jobId = "allocations";
        await using LoopbackShards shards = await LoopbackShards.StartAsync(1, cancellationToken, chunkBytes)
            .ConfigureAwait(false);
        await shards.CreateJobAsync(FlatJobs.Create(jobId, bytes / sizeof(float), 1), cancellationToken)
            .ConfigureAwait(false);
        using PushPullDriver driver = await PushPullDriver.JoinAsync(
                shards, jobId, new ShardClientOptions { ChunkBytes = chunkBytes }, cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0; i < Math.Max(3, steps / 5); i++)
        {
            await driver.StepAsync(cancellationToken).ConfigureAwait(false);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var sampler = new AllocationSampler();
        int gen0 = GC.CollectionCount(0);
        int gen1 = GC.CollectionCount(1);
        int gen2 = GC.CollectionCount(2);
        TimeSpan pause = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            await driver.StepAsync(cancellationToken).ConfigureAwait(false);
        }

        double elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        return new Profile(
            (allocatedAfter - allocated) / (double)steps,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds / steps,
            elapsedMs / steps,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            sampler.Top(4));
    }

    private sealed record Profile(
        double BytesPerStep,
        double PauseMsPerStep,
        double StepMs,
        int Gen0,
        int Gen1,
        int Gen2,
        IReadOnlyList<KeyValuePair<string, long>> Top);
}
