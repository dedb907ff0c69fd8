using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;
using ParamServer.Transport;

namespace ParamServer.Server.Tests.Validation;

/// <summary>
/// Each malformed push gets its status code and a message naming the field, and leaves the job untouched: the job is
/// synchronous with a single worker, so any push that got through would complete step 0 and move the version.
/// </summary>
public sealed class BadPushTests : IAsyncLifetime
{
    private const int Parameters = 1_100_000;
    private const string JobId = "bad";

    private RunningShard _shard = null!;
    private ShardClient _client = null!;
    private RegisterResponse _worker = null!;

    public async Task InitializeAsync()
    {
        _shard = await ShardTestHost.StartAsync();
        _client = new ShardClient(_shard.Address);
        await _client.CreateJobAsync(TestJobs.Flat(JobId, Parameters, initialValue: 0.5));
        _worker = await _client.RegisterAsync(JobId);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _shard.DisposeAsync();
    }

    public static TheoryData<string, StatusCode, string, string> Cases() => new()
    {
        { "unknown_job", StatusCode.NotFound, "job_id 'nope'", string.Empty },
        { "length", StatusCode.InvalidArgument, "header.length is 10; expected 1100000", "invalid_length" },
        { "range_start", StatusCode.InvalidArgument, "header.range_start is 7; expected 0", "invalid_range" },
        { "shard_index", StatusCode.InvalidArgument, "header.shard_index is 3; this is shard 0", "wrong_shard" },
        { "nan", StatusCode.InvalidArgument, "gradient element 12345 (parameter 12345) is NaN", "non_finite" },
        { "infinity", StatusCode.InvalidArgument, "gradient element 99 (parameter 99) is -Infinity", "non_finite" },
        { "step_ahead", StatusCode.FailedPrecondition, "worker_step is 5 but the shard is gathering step 0", "out_of_order" },
        { "unregistered", StatusCode.FailedPrecondition, "worker_id 77 is not registered", "unregistered" },
        { "chunk_too_large", StatusCode.ResourceExhausted, $"is {FloatPayload.MaxChunkBytes + 4} bytes; expected at most", "chunk_too_large" },
        { "missing_header", StatusCode.InvalidArgument, "expected a PushHeader before any chunk", string.Empty },
        { "empty_stream", StatusCode.InvalidArgument, "ended before a header", string.Empty },
        { "second_header", StatusCode.InvalidArgument, "is a second header; expected gradient_chunk", "malformed_chunk" },
        { "odd_chunk", StatusCode.InvalidArgument, "is 6 bytes; expected a multiple of 4", "malformed_chunk" },
        { "too_many_bytes", StatusCode.InvalidArgument, "carry at least 4400004 bytes; expected 4400000", "too_many_bytes" },
        { "too_few_bytes", StatusCode.InvalidArgument, "carry 4399996 bytes; expected 4400000", "too_few_bytes" },
        { "base_version_ahead", StatusCode.InvalidArgument, "header.base_version is 4; expected a version in [0, 0]", "invalid_version" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Push_BadInput_ReturnsCodeAndAppliesNothing(
        string kind,
        StatusCode expectedCode,
        string expectedMessage,
        string countedReason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.PushRawAsync(Messages(kind)))
            .WaitAsync(TestTimeouts.Default);

        Assert.Equal(expectedCode, error.StatusCode);
        Assert.Contains(expectedMessage, error.Status.Detail, StringComparison.Ordinal);
        WeightsReply weights = await _client.PullAsync(JobId);
        Assert.Equal(0, weights.Header.Version);
        Assert.All(weights.Values, value => Assert.Equal(0.5f, value));
        JobStatus status = await _client.StatusAsync(JobId);
        Assert.Equal(0, status.PushesMerged);
        if (countedReason.Length > 0)
        {
            Assert.Equal(1, status.PushesRejected[countedReason]);
        }

        // The worker's step 0 is still open: a correct push is accepted afterwards.
        PushReply valid = await _client.PushPullAsync(TestJobs.Header(_worker, 0, 0), new float[Parameters]);
        Assert.Equal(1, valid.Result.Version);
    }

    private IEnumerable<PushRequest> Messages(string kind)
    {
        PushHeader header = TestJobs.Header(_worker, 0, 0);
        float[] gradient = new float[Parameters];
        switch (kind)
        {
            case "unknown_job":
                header.JobId = "nope";
                break;
            case "length":
                header.Length = 10;
                break;
            case "range_start":
                header.RangeStart = 7;
                break;
            case "shard_index":
                header.ShardIndex = 3;
                break;
            case "nan":
                gradient[12345] = float.NaN;
                break;
            case "infinity":
                gradient[99] = float.NegativeInfinity;
                break;
            case "step_ahead":
                header.WorkerStep = 5;
                break;
            case "unregistered":
                header.WorkerId = 77;
                break;
            case "base_version_ahead":
                header.BaseVersion = 4;
                break;
            case "missing_header":
                return [new PushRequest { GradientChunk = ByteString.CopyFrom(new byte[8]) }];
            case "empty_stream":
                return [];
            case "chunk_too_large":
                return [new PushRequest { Header = header }, Chunk(new byte[FloatPayload.MaxChunkBytes + 4])];
            case "second_header":
                return [new PushRequest { Header = header }, new PushRequest { Header = header }];
            case "odd_chunk":
                return [new PushRequest { Header = header }, Chunk(new byte[6])];
            case "too_many_bytes":
                return [new PushRequest { Header = header }, .. Chunks(gradient), Chunk(new byte[4])];
            case "too_few_bytes":
                return [new PushRequest { Header = header }, .. Chunks(gradient.AsSpan(1).ToArray())];
        }

        return [new PushRequest { Header = header }, .. Chunks(gradient)];
    }

    private static PushRequest Chunk(byte[] bytes) => new() { GradientChunk = UnsafeByteOperations.UnsafeWrap(bytes) };

    private static IEnumerable<PushRequest> Chunks(float[] values) =>
        ShardClient.Chunk(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), 1 << 20).Select(chunk =>
            new PushRequest { GradientChunk = chunk });
}
