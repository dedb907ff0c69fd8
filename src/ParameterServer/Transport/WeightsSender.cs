using Google.Protobuf;
using ParamServer.Server.Jobs;
using ParamServer.Transport;

namespace ParamServer.Server.Transport;

/// <summary>
/// Sends a weights snapshot as chunks that wrap the snapshot's memory without copying. Each write completes once
/// gRPC has serialized the message, and the snapshot is immutable while referenced, so no chunk can change while it
/// is on its way.
/// </summary>
internal static class WeightsSender
{
    /// <summary>Writes the snapshot's bytes in chunks of <paramref name="chunkBytes"/>; returns the bytes written.</summary>
    public static async Task<long> SendChunksAsync(
        WeightsSnapshot snapshot,
        int chunkBytes,
        Func<ByteString, Task> writeChunk)
    {
        ReadOnlyMemory<byte> bytes = snapshot.Bytes;
        for (int offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            int length = Math.Min(chunkBytes, bytes.Length - offset);
            await writeChunk(FloatPayload.WrapUnsafe(bytes.Slice(offset, length))).ConfigureAwait(false);
        }

        return bytes.Length;
    }
}
