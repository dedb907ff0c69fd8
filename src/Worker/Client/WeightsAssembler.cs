using Google.Protobuf;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Transport;

namespace ParamServer.Worker.Client;

/// <summary>
/// Checks a weights header against the shard's range and copies the chunks that follow it into the shard's slice of
/// the flat weights vector, in order.
/// </summary>
internal sealed class WeightsAssembler
{
    private readonly int _shard;
    private readonly string _jobId;
    private readonly ShardRange _range;
    private readonly Memory<float> _destination;
    private long _received;

    public WeightsAssembler(int shard, string jobId, ShardRange range, Memory<float> destination)
    {
        if (destination.Length != range.Length)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} elements; expected the range length {range.Length}.",
                nameof(destination));
        }

        _shard = shard;
        _jobId = jobId;
        _range = range;
        _destination = destination;
    }

    public WeightsHeader? Header { get; private set; }

    public bool IsComplete => Header is not null && _received == _range.Length;

    public void Accept(WeightsHeader header)
    {
        if (Header is not null)
        {
            throw new ShardProtocolException(_shard, "sent a second weights header in one reply.");
        }

        if (header.JobId != _jobId)
        {
            throw new ShardProtocolException(_shard, $"sent weights of job '{header.JobId}'; expected '{_jobId}'.");
        }

        if (header.RangeStart != _range.Start || header.Length != _range.Length)
        {
            throw new ShardProtocolException(
                _shard,
                $"sent weights for [{header.RangeStart}, {header.RangeStart + header.Length}); expected {_range}.");
        }

        Header = header;
        _received = 0;
    }

    public void AcceptChunk(ByteString chunk)
    {
        if (Header is null)
        {
            throw new ShardProtocolException(_shard, "sent a weights chunk before the weights header.");
        }

        if (chunk.Length % sizeof(float) != 0)
        {
            throw new ShardProtocolException(
                _shard, $"sent a weights chunk of {chunk.Length} bytes; expected a multiple of {sizeof(float)}.");
        }

        long elements = chunk.Length / sizeof(float);
        if (_received + elements > _range.Length)
        {
            throw new ShardProtocolException(
                _shard, $"sent {_received + elements} weights; expected {_range.Length} for range {_range}.");
        }

        FloatPayload.CopyChunk(chunk, _destination.Span, _received);
        _received += elements;
    }

    /// <summary>Returns the header once every element arrived.</summary>
    /// <exception cref="ShardProtocolException">The stream ended early.</exception>
    public WeightsHeader Complete()
    {
        if (Header is null)
        {
            throw new ShardProtocolException(_shard, "ended the reply without weights.");
        }

        if (_received != _range.Length)
        {
            throw new ShardProtocolException(
                _shard, $"ended the weights after {_received} of {_range.Length} elements.");
        }

        return Header;
    }
}
