using Google.Protobuf;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Tests.Training;

public sealed class WeightsAssemblerTests
{
    private static readonly ShardRange Range = new(10, 3);

    [Fact]
    public void Chunks_InOrder_FillTheSlice()
    {
        var slice = new float[3];
        var assembler = new WeightsAssembler(1, "job", Range, slice);

        assembler.Accept(Header(10, 3));
        assembler.AcceptChunk(Bytes(1.5f, -2f));
        assembler.AcceptChunk(Bytes(4f));

        Assert.Equal(7, assembler.Complete().Version);
        Assert.Equal([1.5f, -2f, 4f], slice);
    }

    [Fact]
    public void Header_WrongRange_RejectedNamingBoth()
    {
        var assembler = new WeightsAssembler(1, "job", Range, new float[3]);

        var error = Assert.Throws<ShardProtocolException>(() => assembler.Accept(Header(11, 3)));

        Assert.Equal("Shard 1: sent weights for [11, 14); expected [10, 13).", error.Message);
    }

    [Fact]
    public void Chunks_TooMany_Rejected()
    {
        var assembler = new WeightsAssembler(1, "job", Range, new float[3]);
        assembler.Accept(Header(10, 3));

        var error = Assert.Throws<ShardProtocolException>(() => assembler.AcceptChunk(Bytes(1, 2, 3, 4)));

        Assert.Equal("Shard 1: sent 4 weights; expected 3 for range [10, 13).", error.Message);
    }

    [Fact]
    public void Stream_EndsEarly_CompleteThrows()
    {
        var assembler = new WeightsAssembler(1, "job", Range, new float[3]);
        assembler.Accept(Header(10, 3));
        assembler.AcceptChunk(Bytes(1));

        var error = Assert.Throws<ShardProtocolException>(() => assembler.Complete());

        Assert.Equal("Shard 1: ended the weights after 1 of 3 elements.", error.Message);
    }

    [Fact]
    public void Chunk_BeforeHeaderOrOddLength_Rejected()
    {
        var assembler = new WeightsAssembler(1, "job", Range, new float[3]);

        Assert.Throws<ShardProtocolException>(() => assembler.AcceptChunk(Bytes(1)));
        assembler.Accept(Header(10, 3));
        Assert.Throws<ShardProtocolException>(() => assembler.AcceptChunk(ByteString.CopyFrom(1, 2, 3)));
    }

    private static WeightsHeader Header(long start, long length) =>
        new() { JobId = "job", ShardIndex = 1, Version = 7, RangeStart = start, Length = length };

    private static ByteString Bytes(params float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return ByteString.CopyFrom(bytes);
    }
}
