using System.Diagnostics;
using ParamServer.Bench.Transport;
using ParamServer.Server.Jobs;
using ParamServer.Transport;
using ParamServer.Worker.Client;

namespace ParamServer.Bench;

/// <summary>
/// PushPull of one shard over loopback gRPC (a gradient in, the fresh weights out, through Kestrel and the worker's
/// client) against a raw TCP socket on loopback moving the same bytes both ways, measured interleaved in one run.
/// </summary>
public sealed class TransportBenchmark : IBenchmark
{
    public string Name => "transport";

    public string Description => "PushPull of one shard over loopback gRPC vs a raw TCP socket, 1 MiB to 200 MB";

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        (long Bytes, int Steps)[] sizes = options.Quick
            ? [(64 << 10, 20), (1 << 20, 10), (4 << 20, 4)]
            : [(1 << 20, 40), (16 << 20, 6), (200_000_000, 1)];
        int rounds = options.Quick ? 3 : 9;
        var rows = new List<BenchmarkRow>();
        var notes = new List<string> { $"load average (1, 5, 15 min) before: {BenchStatistics.LoadAverage()}" };
        foreach ((long bytes, int steps) in sizes)
        {
            Measurement m = await MeasureAsync(bytes, steps, rounds, cancellationToken).ConfigureAwait(false);
            string size = BenchStatistics.SizeName(bytes);
            rows.Add(new BenchmarkRow(
                $"{size} push+pull, gRPC vs raw TCP", m.GrpcGBps, "GB/s", m.RawGBps, m.GrpcGBps / m.RawGBps));
            rows.Add(new BenchmarkRow(
                $"{size} step time, gRPC vs raw TCP", m.GrpcMs, "ms", m.RawMs, m.RawMs / m.GrpcMs));
            rows.Add(new BenchmarkRow(
                $"{size} CPU time per step (all threads), gRPC vs raw", m.GrpcCpuMs, "ms", m.RawCpuMs,
                m.RawCpuMs / m.GrpcCpuMs));
            rows.Add(new BenchmarkRow(
                $"{size} SGD apply in the step (server counter)", m.ApplyMs, "ms", m.GrpcMs, m.ApplyMs / m.GrpcMs));
            notes.Add($"{size}: {rounds} rounds of {steps} steps each side; step and rate are the medians of the round " +
                      $"means; apply is the mean over every measured step");
        }

        notes.Add("GB/s counts payload in both directions: 2 x slice bytes per step (gradient in, weights out), " +
                  "the same for gRPC and the raw socket");
        notes.Add("gRPC: one in-process shard (ShardHost, Kestrel h2c on 127.0.0.1), the worker's ShardClient, " +
                  $"chunks ({(ChunkBytes > 0 ? BenchStatistics.SizeName(ChunkBytes) : "default 1 MiB")}), SGD; raw: one TCP connection on 127.0.0.1 in the same process, send all, receive all");
        notes.Add($"load average (1, 5, 15 min) after: {BenchStatistics.LoadAverage()}");
        return new BenchmarkReport(Name, "raw TCP socket on loopback, same bytes, same process, interleaved rounds", rows,
            notes);
    }

    private static async Task<Measurement> MeasureAsync(long bytes, int steps, int rounds, CancellationToken cancellationToken)
    {
        const string jobId = "transport";
        int chunkBytes = ChunkBytes;
        await using LoopbackShards shards = await LoopbackShards.StartAsync(1, cancellationToken, chunkBytes)
            .ConfigureAwait(false);
        await shards.CreateJobAsync(FlatJobs.Create(jobId, bytes / sizeof(float), 1), cancellationToken)
            .ConfigureAwait(false);
        using PushPullDriver driver = await PushPullDriver.JoinAsync(
                shards, jobId, new ShardClientOptions { ChunkBytes = chunkBytes > 0 ? chunkBytes : FloatPayload.DefaultChunkBytes }, cancellationToken)
            .ConfigureAwait(false);
        await using RawSocketLoopback raw = await RawSocketLoopback.ConnectAsync(checked((int)bytes), cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0; i < 2; i++)
        {
            await driver.StepAsync(cancellationToken).ConfigureAwait(false);
            await raw.RoundTripAsync(cancellationToken).ConfigureAwait(false);
        }

        JobCounters counters = shards.CountersOf(0, jobId);
        TimeSpan applyBefore = counters.ApplyTime;
        long updatesBefore = counters.Updates;
        var grpcMs = new double[rounds];
        var rawMs = new double[rounds];
        var grpcCpu = new double[rounds];
        var rawCpu = new double[rounds];
        using var process = Process.GetCurrentProcess();
        for (int round = 0; round < rounds; round++)
        {
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < steps; i++)
            {
                await driver.StepAsync(cancellationToken).ConfigureAwait(false);
            }

            grpcMs[round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
            process.Refresh();
            grpcCpu[round] = (process.TotalProcessorTime - cpu).TotalMilliseconds / steps;
            cpu = process.TotalProcessorTime;
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < steps; i++)
            {
                await raw.RoundTripAsync(cancellationToken).ConfigureAwait(false);
            }

            rawMs[round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
            process.Refresh();
            rawCpu[round] = (process.TotalProcessorTime - cpu).TotalMilliseconds / steps;
        }

        long updates = counters.Updates - updatesBefore;
        double applyMs = (counters.ApplyTime - applyBefore).TotalMilliseconds / Math.Max(1, updates);
        double grpc = BenchStatistics.Median(grpcMs);
        double rawMedian = BenchStatistics.Median(rawMs);
        return new Measurement(
            grpc, rawMedian, RateOf(bytes, grpc), RateOf(bytes, rawMedian), applyMs,
            BenchStatistics.Median(grpcCpu), BenchStatistics.Median(rawCpu));
    }

    private static double RateOf(long bytesPerDirection, double milliseconds) =>
        2.0 * bytesPerDirection / (milliseconds / 1000) / 1e9;

    /// <summary>
    /// Bytes per chunk on both sides: PARAMSERVER_BENCH_CHUNK_BYTES when set, else 0 for the product default (1 MiB).
    /// </summary>
    private static int ChunkBytes =>
        int.TryParse(Environment.GetEnvironmentVariable("PARAMSERVER_BENCH_CHUNK_BYTES"), out int bytes) ? bytes : 0;

    private readonly record struct Measurement(
        double GrpcMs,
        double RawMs,
        double GrpcGBps,
        double RawGBps,
        double ApplyMs,
        double GrpcCpuMs,
        double RawCpuMs);
}
