using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Transport.Services;

/// <summary>The data-plane and membership service each shard exposes to workers.</summary>
internal sealed class ParameterShardService : ParameterShard.ParameterShardBase
{
    private readonly JobRegistry _jobs;
    private readonly int _chunkBytes;

    public ParameterShardService(JobRegistry jobs, IOptions<ShardOptions> options)
    {
        _jobs = jobs;
        _chunkBytes = options.Value.ChunkBytes;
    }

    public override Task<CreateJobResponse> CreateJob(CreateJobRequest request, ServerCallContext context)
    {
        JobCreation creation = _jobs.CreateJob(request.Job);
        return Task.FromResult(new CreateJobResponse { Created = creation.Created, Job = creation.Job.Spec });
    }

    public override Task<JobSpec> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(_jobs.Get(request.JobId).Spec);

    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context) =>
        Task.FromResult(_jobs.Get(request.JobId).Register(request));

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(_jobs.Get(request.JobId).Heartbeat(request));

    public override Task<DeregisterResponse> Deregister(DeregisterRequest request, ServerCallContext context)
    {
        _jobs.Get(request.JobId).Deregister(request.WorkerId);
        return Task.FromResult(new DeregisterResponse());
    }

    public override Task<DataAssignment> GetAssignment(AssignmentRequest request, ServerCallContext context) =>
        _jobs.Get(request.JobId).GetAssignmentAsync(request.WorkerId, request.Epoch, context.CancellationToken);

    public override Task<EvaluationAck> ReportEvaluation(EvaluationReport request, ServerCallContext context) =>
        Task.FromResult(_jobs.Get(request.JobId).ReportEvaluation(request));

    public override async Task PushPull(
        IAsyncStreamReader<PushRequest> requestStream,
        IServerStreamWriter<PushResponse> responseStream,
        ServerCallContext context)
    {
        CancellationToken cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw ShardErrors.InvalidArgument("the request stream ended before a header; expected a PushHeader first.");
        }

        if (requestStream.Current.PayloadCase != PushRequest.PayloadOneofCase.Header)
        {
            throw ShardErrors.InvalidArgument(
                $"the first message is {requestStream.Current.PayloadCase}; expected a PushHeader before any chunk.");
        }

        PushHeader header = requestStream.Current.Header;
        ShardJob job = _jobs.Get(header.JobId);
        job.ValidateHeader(header);
        byte[]? gradient = await GradientReader.ReadAsync(requestStream, job, header, cancellationToken)
            .ConfigureAwait(false);
        if (gradient is not null)
        {
            int index = FiniteScanner.FindNonFinite(MemoryMarshal.Cast<byte, float>(gradient.AsSpan()));
            if (index >= 0)
            {
                float value = MemoryMarshal.Cast<byte, float>(gradient.AsSpan())[index];
                string text = "NaN";
                if (float.IsInfinity(value))
                {
                    text = value > 0 ? "+Infinity" : "-Infinity";
                }

                job.ReturnGradient(gradient);
                throw job.Reject(RejectionReasons.NonFinite, ShardErrors.InvalidArgument(
                    $"gradient element {index} (parameter {job.Range.Start + index}) is {text}; expected finite " +
                    "values. Nothing was applied."));
            }
        }

        PushResult result = await job.SubmitAsync(header, gradient, cancellationToken).ConfigureAwait(false);
        await responseStream.WriteAsync(new PushResponse { Result = result }, cancellationToken).ConfigureAwait(false);
        if (!header.ReturnWeights)
        {
            return;
        }

        // The weights a worker may use for its next step: the version this push produced, and in bounded staleness
        // mode not before the slowest worker is close enough.
        WeightsSnapshot snapshot = await job.AcquireWeightsAsync(result.Version, header.WorkerStep + 1, cancellationToken)
            .ConfigureAwait(false);
        await SendAndReleaseAsync(
                job,
                snapshot,
                weightsHeader => responseStream.WriteAsync(new PushResponse { WeightsHeader = weightsHeader }, cancellationToken),
                chunk => responseStream.WriteAsync(new PushResponse { WeightsChunk = chunk }, cancellationToken))
            .ConfigureAwait(false);
    }

    public override async Task Pull(
        PullRequest request,
        IServerStreamWriter<WeightsMessage> responseStream,
        ServerCallContext context)
    {
        ShardJob job = _jobs.Get(request.JobId);
        if (request.MinVersion < 0 || request.WorkerStep < 0)
        {
            throw ShardErrors.InvalidArgument(
                $"min_version is {request.MinVersion} and worker_step {request.WorkerStep}; expected 0 or more.");
        }

        job.PreparePull(request.WorkerId, request.MinVersion, request.WorkerStep);
        long? workerStep = request.WorkerId != 0 ? request.WorkerStep : null;
        WeightsSnapshot snapshot = await job.AcquireWeightsAsync(request.MinVersion, workerStep, context.CancellationToken)
            .ConfigureAwait(false);
        await SendAsync(job, snapshot, responseStream, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task Subscribe(
        SubscribeRequest request,
        IServerStreamWriter<WeightsMessage> responseStream,
        ServerCallContext context)
    {
        ShardJob job = _jobs.Get(request.JobId);
        if (!job.TryAddSubscriber())
        {
            throw ShardErrors.ResourceExhausted(
                $"job '{request.JobId}' already has {ShardJob.MaxSubscribers} subscribers, the maximum; close one or " +
                "use Pull.");
        }

        CancellationToken cancellationToken = context.CancellationToken;
        long next = Math.Max(0, request.FromVersion);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Always the newest version: a subscriber slower than the updates skips the versions in between
                // instead of queueing them.
                WeightsSnapshot snapshot = await job.AcquireWeightsAsync(next, null, cancellationToken)
                    .ConfigureAwait(false);
                next = snapshot.Version + 1;
                await SendAsync(job, snapshot, responseStream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The subscriber went away or the deadline passed: a normal end of a subscription.
        }
        finally
        {
            job.RemoveSubscriber();
        }
    }

    private Task SendAsync(
        ShardJob job,
        WeightsSnapshot snapshot,
        IServerStreamWriter<WeightsMessage> responseStream,
        CancellationToken cancellationToken) =>
        SendAndReleaseAsync(
            job,
            snapshot,
            header => responseStream.WriteAsync(new WeightsMessage { Header = header }, cancellationToken),
            chunk => responseStream.WriteAsync(new WeightsMessage { Chunk = chunk }, cancellationToken));

    /// <summary>Sends a snapshot's header and chunks, counts the bytes and releases the snapshot, also on failure.</summary>
    private async Task SendAndReleaseAsync(
        ShardJob job,
        WeightsSnapshot snapshot,
        Func<WeightsHeader, Task> writeHeader,
        Func<ByteString, Task> writeChunk)
    {
        try
        {
            await writeHeader(job.HeaderFor(snapshot)).ConfigureAwait(false);
            long sent = await WeightsSender.SendChunksAsync(snapshot, _chunkBytes, writeChunk).ConfigureAwait(false);
            job.Counters.AddBytesOut(sent);
        }
        finally
        {
            snapshot.Release();
        }
    }
}
