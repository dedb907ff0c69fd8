using System.Buffers;
using System.Runtime.InteropServices;

namespace ParamServer.Worker.Client;

/// <summary>
/// A float32 vector stored in a byte array rented from <see cref="ArrayPool{T}.Shared"/>. Storing the bytes lets a
/// range of the vector be handed to protobuf as a <see cref="ReadOnlyMemory{T}"/> of bytes without a copy.
/// </summary>
public sealed class PooledFloatBuffer : IDisposable
{
    private byte[]? _bytes;

    public PooledFloatBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bytes = ArrayPool<byte>.Shared.Rent(checked(length * sizeof(float)));
        Span.Clear();
    }

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    public Span<float> Span => MemoryMarshal.Cast<byte, float>(Bytes.AsSpan(0, Length * sizeof(float)));

    /// <summary>Returns the raw little-endian bytes of elements [start, start + count).</summary>
    public ReadOnlyMemory<byte> BytesOf(long start, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Length);
        return new ReadOnlyMemory<byte>(Bytes, (int)start * sizeof(float), (int)count * sizeof(float));
    }

    public void Dispose()
    {
        byte[]? bytes = Interlocked.Exchange(ref _bytes, null);
        if (bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private byte[] Bytes => _bytes ?? throw new ObjectDisposedException(nameof(PooledFloatBuffer));
}
