namespace ParamServer.Server.Jobs;

/// <summary>
/// A small pool of byte arrays of one fixed size (a shard slice as float32), for gradients and weights snapshots.
/// Slices can be hundreds of megabytes, so reusing arrays keeps the large-object heap from churning; at most
/// <see cref="MaxRetained"/> idle arrays are kept, the rest are left to the collector. Thread-safe.
/// </summary>
internal sealed class ByteBufferPool
{
    private readonly Stack<byte[]> _idle = new();
    private readonly int _maxRetained;

    public ByteBufferPool(int bufferBytes, int maxRetained)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);
        BufferBytes = bufferBytes;
        _maxRetained = maxRetained;
    }

    public int BufferBytes { get; }

    public int MaxRetained => _maxRetained;

    /// <summary>Returns an idle array or a new one; its content is undefined.</summary>
    public byte[] Rent()
    {
        lock (_idle)
        {
            if (_idle.Count > 0)
            {
                return _idle.Pop();
            }
        }

        return GC.AllocateUninitializedArray<byte>(BufferBytes);
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length != BufferBytes)
        {
            throw new ArgumentException(
                $"Buffer of {buffer.Length} bytes returned to a pool of {BufferBytes}-byte buffers.", nameof(buffer));
        }

        lock (_idle)
        {
            if (_idle.Count < _maxRetained)
            {
                _idle.Push(buffer);
            }
        }
    }
}
