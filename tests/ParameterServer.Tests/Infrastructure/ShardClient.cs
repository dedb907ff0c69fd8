using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using ParamServer.Protocol.V1;

namespace ParamServer.Server.Tests.Infrastructure;

/// <summary>A test client for one shard: typed helpers over the generated stubs that stream gradients and weights.</summary>
internal sealed class ShardClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public ShardClient(string address)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 8 * 1024 * 1024,
            MaxSendMessageSize = 8 * 1024 * 1024,
        });
        Shard = new ParameterShard.ParameterShardClient(_channel);
        Operator = new ShardOperator.ShardOperatorClient(_channel);
    }

    public GrpcChannel Channel => _channel;

    public ParameterShard.ParameterShardClient Shard { get; }

    public ShardOperator.ShardOperatorClient Operator { get; }

    public static DateTime Deadline => DateTime.UtcNow + TestTimeouts.Default;

    public async Task<CreateJobResponse> CreateJobAsync(JobSpec spec) =>
        await Shard.CreateJobAsync(new CreateJobRequest { Job = spec }, deadline: Deadline);

    public async Task<RegisterResponse> RegisterAsync(string jobId, uint workerId = 0, string name = "", bool evaluator = false) =>
        await Shard.RegisterAsync(
            new RegisterRequest { JobId = jobId, WorkerId = workerId, WorkerName = name, Evaluator = evaluator },
            deadline: Deadline);

    public async Task<JobStatus> StatusAsync(string jobId) =>
        (await Operator.GetStatusAsync(new StatusRequest { JobId = jobId }, deadline: Deadline)).Jobs.Single();

    /// <summary>Pushes <paramref name="gradient"/> as raw chunks and reads the result and, if requested, the weights.</summary>
    public async Task<PushReply> PushPullAsync(
        PushHeader header,
        float[] gradient,
        int chunkBytes = 1 << 20,
        CancellationToken cancellationToken = default)
    {
        byte[] bytes = MemoryMarshal.AsBytes(gradient.AsSpan()).ToArray();
        return await PushPullBytesAsync(header, bytes, chunkBytes, cancellationToken);
    }

    /// <summary>Pushes a gradient given as raw little-endian float32 bytes, wrapping them without copies.</summary>
    public async Task<PushReply> PushPullBytesAsync(
        PushHeader header,
        byte[] gradient,
        int chunkBytes = 1 << 20,
        CancellationToken cancellationToken = default)
    {
        using AsyncDuplexStreamingCall<PushRequest, PushResponse> call =
            Shard.PushPull(deadline: Deadline, cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new PushRequest { Header = header }, cancellationToken);
        foreach (ByteString chunk in Chunk(gradient, chunkBytes))
        {
            await call.RequestStream.WriteAsync(new PushRequest { GradientChunk = chunk }, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        return await ReadReplyAsync(call.ResponseStream, cancellationToken);
    }

    /// <summary>Sends raw request messages, for malformed pushes, and reads whatever reply comes back.</summary>
    public async Task<PushReply> PushRawAsync(IEnumerable<PushRequest> messages)
    {
        using AsyncDuplexStreamingCall<PushRequest, PushResponse> call = Shard.PushPull(deadline: Deadline);
        try
        {
            foreach (PushRequest message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The shard may reject the call before every message is written; the reply below carries the status.
        }
        catch (InvalidOperationException)
        {
        }

        return await ReadReplyAsync(call.ResponseStream, CancellationToken.None);
    }

    public async Task<WeightsReply> PullAsync(string jobId, long minVersion = 0, uint workerId = 0, long workerStep = 0,
        DateTime? deadline = null)
    {
        using AsyncServerStreamingCall<WeightsMessage> call = Shard.Pull(
            new PullRequest { JobId = jobId, MinVersion = minVersion, WorkerId = workerId, WorkerStep = workerStep },
            deadline: deadline ?? Deadline);
        WeightsReply? reply = await ReadWeightsAsync(call.ResponseStream, CancellationToken.None);
        return reply ?? throw new InvalidOperationException("Pull ended without weights.");
    }

    public static async Task<WeightsReply?> ReadWeightsAsync(
        IAsyncStreamReader<WeightsMessage> stream,
        CancellationToken cancellationToken)
    {
        WeightsHeader? header = null;
        float[]? values = null;
        int offset = 0;
        while (await stream.MoveNext(cancellationToken))
        {
            WeightsMessage message = stream.Current;
            if (message.PayloadCase == WeightsMessage.PayloadOneofCase.Header)
            {
                header = message.Header;
                values = new float[header.Length];
                offset = 0;
            }
            else
            {
                message.Chunk.Span.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()).Slice(offset));
                offset += message.Chunk.Length;
            }

            if (header is not null && offset == header.Length * sizeof(float))
            {
                return new WeightsReply(header, values!);
            }
        }

        return null;
    }

    public static IEnumerable<ByteString> Chunk(byte[] bytes, int chunkBytes)
    {
        for (int offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            yield return UnsafeByteOperations.UnsafeWrap(bytes.AsMemory(offset, Math.Min(chunkBytes, bytes.Length - offset)));
        }
    }

    private static async Task<PushReply> ReadReplyAsync(
        IAsyncStreamReader<PushResponse> stream,
        CancellationToken cancellationToken)
    {
        PushResult? result = null;
        WeightsHeader? header = null;
        float[]? values = null;
        int offset = 0;
        while (await stream.MoveNext(cancellationToken))
        {
            PushResponse message = stream.Current;
            switch (message.PayloadCase)
            {
                case PushResponse.PayloadOneofCase.Result:
                    result = message.Result;
                    break;
                case PushResponse.PayloadOneofCase.WeightsHeader:
                    header = message.WeightsHeader;
                    values = new float[header.Length];
                    break;
                case PushResponse.PayloadOneofCase.WeightsChunk:
                    message.WeightsChunk.Span.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()).Slice(offset));
                    offset += message.WeightsChunk.Length;
                    break;
            }
        }

        return new PushReply(result ?? throw new InvalidOperationException("PushPull ended without a result."), header, values);
    }

    public void Dispose() => _channel.Dispose();
}

internal sealed record PushReply(PushResult Result, WeightsHeader? Header, float[]? Weights);

internal sealed record WeightsReply(WeightsHeader Header, float[] Values);
