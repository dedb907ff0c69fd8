using System.Runtime.InteropServices;
using Google.Protobuf;

namespace ParamServer.Transport;

/// <summary>
/// Conversions between float32 spans and the raw little-endian bytes that carry them in protobuf <c>bytes</c>
/// fields. The process must run on a little-endian machine, which every .NET 10 target is.
/// </summary>
public static class FloatPayload
{
    /// <summary>Default bytes per gradient or weights chunk: 1 MiB, well below gRPC's 4 MiB message limit.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Largest chunk a sender may be configured for; leaves room for framing under 4 MiB.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024 - 64 * 1024;

    static FloatPayload()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ParamServer payloads require a little-endian machine.");
        }
    }

    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values);

    public static Span<byte> AsBytes(Span<float> values) => MemoryMarshal.AsBytes(values);

    /// <summary>
    /// Wraps <paramref name="memory"/> without copying. The caller must keep the memory unchanged until the message
    /// carrying the returned string has been serialized.
    /// </summary>
    public static ByteString WrapUnsafe(ReadOnlyMemory<byte> memory) => UnsafeByteOperations.UnsafeWrap(memory);

    /// <summary>Copies a chunk's bytes into <paramref name="destination"/> starting at element <paramref name="elementOffset"/>.</summary>
    public static void CopyChunk(ByteString chunk, Span<float> destination, long elementOffset)
    {
        ReadOnlySpan<byte> bytes = chunk.Span;
        Span<byte> target = MemoryMarshal.AsBytes(destination.Slice((int)elementOffset));
        bytes.CopyTo(target);
    }

    /// <summary>Returns the element count per chunk for <paramref name="chunkBytes"/>, at least one element.</summary>
    public static int ElementsPerChunk(int chunkBytes) => Math.Max(1, chunkBytes / sizeof(float));
}
