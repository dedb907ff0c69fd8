using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Transport;
using Polly;

namespace ParamServer.Worker.Client;

/// <summary>
/// The connection of a worker to one shard: one gRPC channel, the shard's resilience pipeline (retries around a
/// circuit breaker) and a deadline on every attempt. Every method is safe to call concurrently.
/// </summary>
public sealed class ShardClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ParameterShard.ParameterShardClient _shard;
    private readonly ShardOperator.ShardOperatorClient _operator;
    private readonly ShardClientOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly Metadata? _headers;

    /// <param name="channelFactory">
    /// Creates the channel, for example with TLS and a bearer token; null creates a plain channel that sends
    /// <see cref="ShardClientOptions.AuthToken"/> as call metadata.
    /// </param>
    public ShardClient(
        int index,
        Uri endpoint,
        ShardClientOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        Func<Uri, GrpcChannel>? channelFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);

        Index = index;
        Endpoint = endpoint;
        _options = options;
        _timeProvider = timeProvider;
        _pipeline = ShardResiliencePipeline.Create(index, options, logger, timeProvider);
        _channel = channelFactory?.Invoke(endpoint) ?? GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = options.CallTimeout,
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
            MaxReceiveMessageSize = 2 * FloatPayload.MaxChunkBytes,
        });
        _shard = new ParameterShard.ParameterShardClient(_channel);
        _operator = new ShardOperator.ShardOperatorClient(_channel);
        if (channelFactory is null && !string.IsNullOrEmpty(options.AuthToken))
        {
            _headers = new Metadata { { "authorization", "Bearer " + options.AuthToken } };
        }

        ClientLog.Connecting(logger, index, endpoint);
    }

    /// <summary>Index of the shard in the model's partition.</summary>
    public int Index { get; }

    public Uri Endpoint { get; }

    public Task<ShardStatus> GetStatusAsync(string jobId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "GetStatus",
            -1,
            _options.CallTimeout,
            options => _operator.GetStatusAsync(new StatusRequest { JobId = jobId }, options).ResponseAsync,
            cancellationToken);

    public Task<CreateJobResponse> CreateJobAsync(JobSpec job, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "CreateJob",
            -1,
            _options.CallTimeout,
            options => _shard.CreateJobAsync(new CreateJobRequest { Job = job }, options).ResponseAsync,
            cancellationToken);

    public Task<RegisterResponse> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "Register",
            -1,
            _options.CallTimeout,
            options => _shard.RegisterAsync(request, options).ResponseAsync,
            cancellationToken);

    /// <summary>Sends one heartbeat with a single attempt; the next heartbeat is the retry.</summary>
    public async Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
    {
        return await _shard.HeartbeatAsync(request, CallOptionsFor(_options.CallTimeout, cancellationToken))
            .ResponseAsync.ConfigureAwait(false);
    }

    public Task<DeregisterResponse> DeregisterAsync(DeregisterRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "Deregister",
            -1,
            _options.CallTimeout,
            options => _shard.DeregisterAsync(request, options).ResponseAsync,
            cancellationToken);

    public Task<DataAssignment> GetAssignmentAsync(AssignmentRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "GetAssignment",
            -1,
            _options.CallTimeout,
            options => _shard.GetAssignmentAsync(request, options).ResponseAsync,
            cancellationToken);

    public Task<EvaluationAck> ReportEvaluationAsync(EvaluationReport report, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "ReportEvaluation",
            report.Version,
            _options.CallTimeout,
            options => _shard.ReportEvaluationAsync(report, options).ResponseAsync,
            cancellationToken);

    /// <summary>
    /// Streams the gradient slice <paramref name="gradient"/> (raw float32 bytes of the shard's range) in chunks of
    /// <see cref="ShardClientOptions.ChunkBytes"/> and reads the push result and, when the header requests them,
    /// the fresh weights into <paramref name="weights"/>. A retried attempt sends the same bytes again, which the
    /// shard deduplicates. An empty push (header.length 0, batch_size 0, no bytes) takes part in a synchronous step
    /// without a gradient. The chunks wrap <paramref name="gradient"/> without a copy, so the caller must leave it
    /// unchanged until the returned task completes.
    /// </summary>
    public Task<PushReply> PushPullAsync(
        PushHeader header,
        ReadOnlyMemory<byte> gradient,
        ShardRange range,
        Memory<float> weights,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(header);
        long expectedBytes = header.Length * sizeof(float);
        if (header.Length != 0 && header.Length != range.Length || gradient.Length != expectedBytes)
        {
            throw new ArgumentException(
                $"gradient has {gradient.Length} bytes for header.length {header.Length}; expected " +
                $"{range.Length * sizeof(float)} bytes for range {range}, or none for an empty push.",
                nameof(gradient));
        }

        return ExecuteAsync(
            "PushPull",
            header.WorkerStep,
            _options.StepTimeout,
            options => PushPullOnceAsync(header, gradient, range, weights, options),
            cancellationToken);
    }

    /// <summary>
    /// Reads the shard's weights into <paramref name="weights"/> once the shard allows it: at least
    /// <see cref="PullRequest.MinVersion"/>, and within the staleness bound for <see cref="PullRequest.WorkerStep"/>.
    /// </summary>
    public Task<WeightsHeader> PullAsync(
        PullRequest request,
        ShardRange range,
        Memory<float> weights,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExecuteAsync(
            "Pull",
            request.WorkerStep,
            _options.StepTimeout,
            options => PullOnceAsync(request, range, weights, options),
            cancellationToken);
    }

    public void Dispose() => _channel.Dispose();

    private async Task<PushReply> PushPullOnceAsync(
        PushHeader header,
        ReadOnlyMemory<byte> gradient,
        ShardRange range,
        Memory<float> weights,
        CallOptions options)
    {
        using AsyncDuplexStreamingCall<PushRequest, PushResponse> call = _shard.PushPull(options);
        try
        {
            await call.RequestStream.WriteAsync(new PushRequest { Header = header }).ConfigureAwait(false);
            int chunkBytes = FloatPayload.ElementsPerChunk(_options.ChunkBytes) * sizeof(float);
            for (int offset = 0; offset < gradient.Length; offset += chunkBytes)
            {
                ReadOnlyMemory<byte> chunk = gradient.Slice(offset, Math.Min(chunkBytes, gradient.Length - offset));
                await call.RequestStream.WriteAsync(new PushRequest { GradientChunk = FloatPayload.WrapUnsafe(chunk) })
                    .ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The shard ended the call early, for example by rejecting the header. Reading the response stream
            // surfaces the status the shard sent instead of the write failure.
            if (!options.CancellationToken.IsCancellationRequested)
            {
                await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false);
            }

            throw;
        }

        PushResult? result = null;
        var assembler = new WeightsAssembler(Index, header.JobId, range, weights);
        while (await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false))
        {
            PushResponse response = call.ResponseStream.Current;
            switch (response.PayloadCase)
            {
                case PushResponse.PayloadOneofCase.Result:
                    result = result is null
                        ? response.Result
                        : throw new ShardProtocolException(Index, "sent a second push result in one reply.");
                    break;
                case PushResponse.PayloadOneofCase.WeightsHeader:
                    if (result is null)
                    {
                        throw new ShardProtocolException(Index, "sent weights before the push result.");
                    }

                    assembler.Accept(response.WeightsHeader);
                    break;
                case PushResponse.PayloadOneofCase.WeightsChunk:
                    assembler.AcceptChunk(response.WeightsChunk);
                    break;
                default:
                    throw new ShardProtocolException(Index, $"sent a push reply with payload {response.PayloadCase}.");
            }
        }

        if (result is null)
        {
            throw new ShardProtocolException(Index, "ended the push reply without a result.");
        }

        WeightsHeader? weightsHeader = assembler.Header is null ? null : assembler.Complete();
        if (header.ReturnWeights && weightsHeader is null && result.Outcome != PushOutcome.RejectedStale)
        {
            throw new ShardProtocolException(Index, $"returned push outcome {result.Outcome} without the requested " +
                $"weights.");
        }

        return new PushReply(result, weightsHeader);
    }

    private async Task<WeightsHeader> PullOnceAsync(
        PullRequest request,
        ShardRange range,
        Memory<float> weights,
        CallOptions options)
    {
        using AsyncServerStreamingCall<WeightsMessage> call = _shard.Pull(request, options);
        var assembler = new WeightsAssembler(Index, request.JobId, range, weights);
        while (await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false))
        {
            WeightsMessage message = call.ResponseStream.Current;
            switch (message.PayloadCase)
            {
                case WeightsMessage.PayloadOneofCase.Header:
                    assembler.Accept(message.Header);
                    break;
                case WeightsMessage.PayloadOneofCase.Chunk:
                    assembler.AcceptChunk(message.Chunk);
                    break;
                default:
                    throw new ShardProtocolException(Index, $"sent a weights message with payload " +
                        $"{message.PayloadCase}.");
            }
        }

        return assembler.Complete();
    }

    private async Task<T> ExecuteAsync<T>(
        string operation,
        long step,
        TimeSpan timeout,
        Func<CallOptions, Task<T>> call,
        CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        context.Properties.Set(ResilienceKeys.Step, step);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ctx => await call(CallOptionsFor(timeout, ctx.CancellationToken)).ConfigureAwait(false),
                context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private CallOptions CallOptionsFor(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(_headers, _timeProvider.GetUtcNow().UtcDateTime + timeout, cancellationToken);
}
