using System.Diagnostics;
using ParamServer.Bench.Transport;
using ParamServer.Worker.Client;

namespace ParamServer.Bench;

/// <summary>
/// Push+pull of one model split over 1, 2 and 4 in-process shards, the client pushing to every shard in parallel:
/// aggregate rate against one shard, and raw TCP with as many parallel loopback connections for the machine's own
/// limit, all measured interleaved in one run.
/// </summary>
public sealed class ScaleBenchmark : IBenchmark
{
    private static readonly int[] ShardCounts = [1, 2, 4];

    public string Name => "scale";

    public string Description => "push+pull of a 200 MB model over 1, 2 and 4 loopback shards in parallel";

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        long bytes = options.Quick ? 16 << 20 : 200_000_000;
        int rounds = options.Quick ? 3 : 9;
        var notes = new List<string> { $"load average (1, 5, 15 min) before: {BenchStatistics.LoadAverage()}" };
        var clusters = new List<LoopbackShards>();
        var drivers = new List<PushPullDriver>();
        var raws = new List<RawSocketLoopback[]>();
        try
        {
            foreach (int count in ShardCounts)
            {
                string jobId = $"scale-{count}";
                LoopbackShards shards = await LoopbackShards.StartAsync(count, cancellationToken).ConfigureAwait(false);
                clusters.Add(shards);
                await shards.CreateJobAsync(FlatJobs.Create(jobId, bytes / sizeof(float), count), cancellationToken)
                    .ConfigureAwait(false);
                drivers.Add(await PushPullDriver.JoinAsync(shards, jobId, new ShardClientOptions(), cancellationToken)
                    .ConfigureAwait(false));
                var connections = new RawSocketLoopback[count];
                for (int c = 0; c < count; c++)
                {
                    connections[c] = await RawSocketLoopback.ConnectAsync(checked((int)(bytes / count)), cancellationToken)
                        .ConfigureAwait(false);
                }

                raws.Add(connections);
            }

            for (int i = 0; i < ShardCounts.Length; i++)
            {
                await drivers[i].StepAsync(cancellationToken).ConfigureAwait(false);
                await RoundTripAllAsync(raws[i], cancellationToken).ConfigureAwait(false);
            }

            var grpcMs = ShardCounts.Select(_ => new double[rounds]).ToArray();
            var rawMs = ShardCounts.Select(_ => new double[rounds]).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < ShardCounts.Length; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await drivers[i].StepAsync(cancellationToken).ConfigureAwait(false);
                    grpcMs[i][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    start = Stopwatch.GetTimestamp();
                    await RoundTripAllAsync(raws[i], cancellationToken).ConfigureAwait(false);
                    rawMs[i][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }

            double[] grpcRate = grpcMs.Select(m => RateOf(bytes, BenchStatistics.Median(m))).ToArray();
            double[] rawRate = rawMs.Select(m => RateOf(bytes, BenchStatistics.Median(m))).ToArray();
            var rows = new List<BenchmarkRow>();
            for (int i = 0; i < ShardCounts.Length; i++)
            {
                rows.Add(new BenchmarkRow(
                    $"{ShardCounts[i]} shard(s), gRPC aggregate vs 1 shard", grpcRate[i], "GB/s", grpcRate[0],
                    grpcRate[i] / grpcRate[0]));
            }

            for (int i = 0; i < ShardCounts.Length; i++)
            {
                rows.Add(new BenchmarkRow(
                    $"{ShardCounts[i]} raw TCP connection(s) vs 1 connection", rawRate[i], "GB/s", rawRate[0],
                    rawRate[i] / rawRate[0]));
            }

            for (int i = 0; i < ShardCounts.Length; i++)
            {
                rows.Add(new BenchmarkRow(
                    $"{ShardCounts[i]} shard(s), gRPC vs as many raw connections", grpcRate[i], "GB/s", rawRate[i],
                    grpcRate[i] / rawRate[i]));
            }

            notes.Add($"model {BenchStatistics.SizeName(bytes)} of float32 split evenly; one step pushes every shard's " +
                      $"slice in parallel and waits for every shard's weights; {rounds} interleaved rounds, median step");
            notes.Add("GB/s counts the whole model twice per step (gradient in, weights out)");
            notes.Add($"{Environment.ProcessorCount} cores for client, shards and kernel loopback together");
            notes.Add($"load average (1, 5, 15 min) after: {BenchStatistics.LoadAverage()}");
            return new BenchmarkReport(Name, "1 shard (and 1 raw TCP connection) in the same run", rows, notes);
        }
        finally
        {
            foreach (PushPullDriver driver in drivers)
            {
                driver.Dispose();
            }

            foreach (RawSocketLoopback raw in raws.SelectMany(r => r))
            {
                await raw.DisposeAsync().ConfigureAwait(false);
            }

            foreach (LoopbackShards shards in clusters)
            {
                await shards.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static Task RoundTripAllAsync(RawSocketLoopback[] connections, CancellationToken cancellationToken) =>
        Task.WhenAll(connections.Select(c => Task.Run(() => c.RoundTripAsync(cancellationToken), cancellationToken)));

    private static double RateOf(long bytes, double milliseconds) => 2.0 * bytes / (milliseconds / 1000) / 1e9;
}
