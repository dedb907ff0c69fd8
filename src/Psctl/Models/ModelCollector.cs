using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Rpc;
using ParamServer.Sharding;
using ParamServer.Transport;

namespace ParamServer.Psctl.Models;

/// <summary>Gathers a job's full parameter vector by pulling each shard's contiguous range of it.</summary>
public static class ModelCollector
{
    /// <summary>
    /// Pulls the current weights of <paramref name="job"/> from every shard, as an anonymous reader (worker id 0),
    /// and places each slice at its range. The shards must be given in shard-index order.
    /// </summary>
    /// <exception cref="InvalidDataException">A shard returned a range or length that does not match the partition.</exception>
    public static async Task<FinalModel> PullAsync(
        IReadOnlyList<ShardConnection> shards,
        JobSpec job,
        CancellationToken cancellationToken)
    {
        var layout = Model.ModelLayout.Create(job.Model);
        var parameters = new float[layout.TotalElements];
        long[] versions = await Task.WhenAll(shards.Select((connection, index) =>
            PullSliceAsync(connection, job.JobId, RangePartitioner.RangeOf(layout.TotalElements, shards.Count, index),
                parameters, cancellationToken)));
        return new FinalModel(job, parameters, versions.Min());
    }

    private static async Task<long> PullSliceAsync(
        ShardConnection connection,
        string jobId,
        ShardRange expected,
        float[] destination,
        CancellationToken cancellationToken)
    {
        using AsyncServerStreamingCall<WeightsMessage> call = connection.Shard.Pull(
            new PullRequest { JobId = jobId, WorkerId = 0, MinVersion = 0 },
            connection.CallOptions(cancellationToken, TimeSpan.FromMinutes(2)));

        WeightsHeader? header = null;
        long received = 0;
        await foreach (WeightsMessage message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (message.PayloadCase == WeightsMessage.PayloadOneofCase.Header)
            {
                header = message.Header;
                if (header.RangeStart != expected.Start || header.Length != expected.Length)
                {
                    throw new InvalidDataException(
                        $"{connection.Endpoint} sent range [{header.RangeStart}, {header.RangeStart + header.Length}); " +
                        $"the partition gives it {expected}.");
                }

                continue;
            }

            if (header is null)
            {
                throw new InvalidDataException($"{connection.Endpoint} sent a weights chunk before the header.");
            }

            int elements = message.Chunk.Length / sizeof(float);
            if (message.Chunk.Length % sizeof(float) != 0 || received + elements > expected.Length)
            {
                throw new InvalidDataException(
                    $"{connection.Endpoint} sent a chunk of {message.Chunk.Length} bytes at element {received} of " +
                    $"{expected.Length}.");
            }

            FloatPayload.CopyChunk(message.Chunk, destination.AsSpan((int)expected.Start, (int)expected.Length), received);
            received += elements;
        }

        if (header is null || received != expected.Length)
        {
            throw new InvalidDataException(
                $"{connection.Endpoint} sent {received} of {expected.Length} elements of its range.");
        }

        return header.Version;
    }
}
