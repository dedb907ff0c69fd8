using Google.Protobuf;
using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Jobs;
using ParamServer.Server.Validation;
using ParamServer.Transport;

namespace ParamServer.Server.Transport;

/// <summary>
/// Reads the gradient chunks that follow a push header into one pooled buffer of the shard slice's size. The stream
/// is read to its end, so a push with too many bytes is detected; the worker completes its request stream after the
/// last chunk.
/// </summary>
internal static class GradientReader
{
    /// <summary>
    /// Returns the received gradient (raw float32 bytes; the caller owns the buffer), or null for an empty push.
    /// </summary>
    /// <exception cref="RpcException">A malformed, oversized, short or overlong gradient; nothing is kept.</exception>
    public static async Task<byte[]?> ReadAsync(
        IAsyncStreamReader<PushRequest> requests,
        ShardJob job,
        PushHeader header,
        CancellationToken cancellationToken)
    {
        bool empty = ShardJob.IsEmptyPush(header);
        long expected = empty ? 0 : header.Length * sizeof(float);
        byte[]? buffer = empty ? null : job.RentGradient();
        long received = 0;
        int chunks = 0;
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                PushRequest message = requests.Current;
                if (message.PayloadCase != PushRequest.PayloadOneofCase.GradientChunk)
                {
                    throw job.Reject(RejectionReasons.MalformedChunk, ShardErrors.InvalidArgument(
                        $"message {chunks + 1} after the header is {Describe(message)}; expected gradient_chunk. " +
                        "A push carries one header, then only chunks."));
                }

                ByteString chunk = message.GradientChunk;
                if (chunk.Length > FloatPayload.MaxChunkBytes)
                {
                    throw job.Reject(RejectionReasons.ChunkTooLarge, ShardErrors.ResourceExhausted(
                        $"gradient_chunk {chunks} is {chunk.Length} bytes; expected at most {FloatPayload.MaxChunkBytes}."));
                }

                if (chunk.Length % sizeof(float) != 0)
                {
                    throw job.Reject(RejectionReasons.MalformedChunk, ShardErrors.InvalidArgument(
                        $"gradient_chunk {chunks} is {chunk.Length} bytes; expected a multiple of 4 (whole float32 values)."));
                }

                if (received + chunk.Length > expected)
                {
                    throw job.Reject(RejectionReasons.TooManyBytes, ShardErrors.InvalidArgument(
                        $"gradient chunks carry at least {received + chunk.Length} bytes; expected {expected} " +
                        $"(header.length {header.Length} float32 values)."));
                }

                chunk.Span.CopyTo(buffer.AsSpan((int)received));
                received += chunk.Length;
                chunks++;
                job.Counters.AddBytesIn(chunk.Length);
            }

            if (received != expected)
            {
                throw job.Reject(RejectionReasons.TooFewBytes, ShardErrors.InvalidArgument(
                    $"gradient chunks carry {received} bytes; expected {expected} (header.length {header.Length} " +
                    "float32 values) before the request stream ended."));
            }

            return buffer;
        }
        catch
        {
            if (buffer is not null)
            {
                job.ReturnGradient(buffer);
            }

            throw;
        }
    }

    private static string Describe(PushRequest message) => message.PayloadCase switch
    {
        PushRequest.PayloadOneofCase.Header => "a second header",
        _ => "empty",
    };
}
