using System.Runtime.InteropServices;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Transport;

public sealed class LargeModelTests
{
    private const int Parameters = 50_000_000;

    [Fact]
    public async Task PushPull_FiftyMillionParameters_RoundTripsBitExactly()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("large", Parameters, learningRate: 1.0));
        RegisterResponse worker = await client.RegisterAsync("large");

        // Random bit patterns of finite floats: SGD at lr 1 from w = 0 with one worker gives w = -g exactly.
        byte[] gradient = new byte[Parameters * sizeof(float)];
        Span<uint> bits = MemoryMarshal.Cast<byte, uint>(gradient.AsSpan());
        new Random(1234).NextBytes(gradient);
        for (int i = 0; i < bits.Length; i++)
        {
            // An all-ones exponent would make NaN or infinity, which the shard rightly rejects.
            if ((bits[i] & 0x7F800000) == 0x7F800000)
            {
                bits[i] ^= 0x00800000;
            }
        }

        PushReply reply = await client.PushPullBytesAsync(TestJobs.Header(worker, 0, 0), gradient)
            .WaitAsync(TestTimeouts.Default);

        Assert.Equal(PushOutcome.Merged, reply.Result.Outcome);
        Assert.Equal(1, reply.Header!.Version);
        Assert.Equal(Parameters, reply.Weights!.Length);
        ReadOnlySpan<float> pushed = MemoryMarshal.Cast<byte, float>(gradient);
        int mismatches = 0;
        for (int i = 0; i < Parameters; i++)
        {
            if (BitConverter.SingleToUInt32Bits(reply.Weights[i]) != BitConverter.SingleToUInt32Bits(-pushed[i]))
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
        WeightsReply pulled = await client.PullAsync("large", minVersion: 1).WaitAsync(TestTimeouts.Default);
        Assert.True(reply.Weights.AsSpan().SequenceEqual(pulled.Values), "Pull must return the pushed version's weights.");
        JobStatus status = await client.StatusAsync("large");
        Assert.Equal((long)Parameters * sizeof(float), status.BytesIn);
        Assert.Equal(2L * Parameters * sizeof(float), status.BytesOut);
    }
}
