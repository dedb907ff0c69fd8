using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Transport;

namespace ParamServer.Bench;

/// <summary>
/// PushPull round trips of one shard slice over loopback h2c, in payload bytes per second (gradient in plus weights
/// out), for several chunk sizes. The baseline is the same two transfers done as plain in-process memory copies, the
/// bound for any transport, measured in the same run.
/// </summary>
public sealed class TransportBenchmark : IBenchmark
{
    private const int FullLength = 50_000_000;
    private const int QuickLength = 4_000_000;

    public string Name => "transport";

    public string Description => "PushPull round trip over loopback, bytes/s against two in-memory copies";

    public async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        int length = options.Quick ? QuickLength : FullLength;
        int repetitions = options.Quick ? 2 : 5;
        byte[] gradient = new byte[length * sizeof(float)];
        double payload = 2.0 * gradient.Length;
        byte[] first = new byte[gradient.Length];
        byte[] second = new byte[gradient.Length];
        double baseline = payload / BestSeconds(repetitions, () =>
        {
            gradient.AsSpan().CopyTo(first);
            first.AsSpan().CopyTo(second);
        });

        var rows = new List<BenchmarkRow>();
        foreach (int chunkBytes in new[] { 256 * 1024, FloatPayload.DefaultChunkBytes, FloatPayload.MaxChunkBytes })
        {
            await using RunningShard shard = await ShardHost.StartAsync(
                new ShardOptions { ListenAddress = "127.0.0.1", Port = 0, MetricsPort = -1, ChunkBytes = chunkBytes },
                builder => builder.Logging.SetMinimumLevel(LogLevel.Warning),
                cancellationToken);
            using GrpcChannel channel = GrpcChannel.ForAddress(shard.Address);
            var client = new ParameterShard.ParameterShardClient(channel);
            await client.CreateJobAsync(new CreateJobRequest { Job = Job(length) }, cancellationToken: cancellationToken);
            RegisterResponse worker = await client.RegisterAsync(
                new RegisterRequest { JobId = "bench" }, cancellationToken: cancellationToken);

            long step = 0;
            await RoundTripAsync(client, worker, step++, gradient, chunkBytes, cancellationToken);
            double best = double.MaxValue;
            for (int r = 0; r < repetitions; r++)
            {
                var clock = Stopwatch.StartNew();
                await RoundTripAsync(client, worker, step++, gradient, chunkBytes, cancellationToken);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            double rate = payload / best;
            rows.Add(new BenchmarkRow(
                $"{length / 1_000_000}M floats, {chunkBytes / 1024} KiB chunks", rate / 1e6, "MB/s", baseline / 1e6,
                rate / baseline));
        }

        return new BenchmarkReport(
            Name,
            "two in-process copies of the slice",
            rows,
            ["Asynchronous job with SGD and a zero gradient: every push applies a full update that leaves the weights as they are."]);
    }

    private static JobSpec Job(int length) => new()
    {
        JobId = "bench",
        NumShards = 1,
        Model = new ModelSpec { Tensors = { new TensorSpec { Name = "w", Shape = { length } } } },
        Optimizer = new OptimizerSpec { Kind = OptimizerKind.Sgd },
        Schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 1 },
        Consistency = new ConsistencySpec { Mode = ConsistencyMode.Asynchronous },
    };

    private static async Task RoundTripAsync(
        ParameterShard.ParameterShardClient client,
        RegisterResponse worker,
        long step,
        byte[] gradient,
        int chunkBytes,
        CancellationToken cancellationToken)
    {
        using AsyncDuplexStreamingCall<PushRequest, PushResponse> call = client.PushPull(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new PushRequest
        {
            Header = new PushHeader
            {
                JobId = "bench",
                WorkerId = worker.WorkerId,
                WorkerStep = step,
                BaseVersion = step,
                RangeStart = worker.RangeStart,
                Length = worker.RangeLength,
                BatchSize = 1,
                ReturnWeights = true,
            },
        }, cancellationToken);
        for (int offset = 0; offset < gradient.Length; offset += chunkBytes)
        {
            int size = Math.Min(chunkBytes, gradient.Length - offset);
            await call.RequestStream.WriteAsync(
                new PushRequest { GradientChunk = UnsafeByteOperations.UnsafeWrap(gradient.AsMemory(offset, size)) },
                cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        long received = 0;
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            received += call.ResponseStream.Current.WeightsChunk.Length;
        }

        if (received != gradient.Length)
        {
            throw new InvalidOperationException($"Received {received} weight bytes; expected {gradient.Length}.");
        }
    }

    private static double BestSeconds(int repetitions, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int r = 0; r < repetitions; r++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }
}
