using System.Runtime.InteropServices;

namespace ParamServer.Server.Jobs;

/// <summary>
/// An immutable copy of a shard's weights at one version, shared by every reader of that version. The optimizer
/// updates the job's working array in place, so readers never see a half-applied update, and a stream that sends a
/// snapshot without copying (UnsafeWrap) can take as long as it needs. Reference counted: the job holds one
/// reference while the snapshot is current, each reader one until <see cref="Release"/>; the array goes back to the
/// pool when the count reaches zero.
/// </summary>
internal sealed class WeightsSnapshot
{
    private readonly ByteBufferPool _pool;
    private byte[]? _buffer;
    private int _references = 1;

    public WeightsSnapshot(ByteBufferPool pool, byte[] buffer, long version, double learningRate)
    {
        _pool = pool;
        _buffer = buffer;
        Version = version;
        LearningRate = learningRate;
    }

    public long Version { get; }

    /// <summary>The learning rate of the update that will follow this version.</summary>
    public double LearningRate { get; }

    /// <summary>The weights as raw little-endian float32 bytes; valid until the reader's <see cref="Release"/>.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer ?? throw new ObjectDisposedException(nameof(WeightsSnapshot));

    public ReadOnlySpan<float> Values => MemoryMarshal.Cast<byte, float>(Bytes.Span);

    /// <summary>Adds a reference; false when the snapshot was already released by everyone.</summary>
    public bool TryAddReference()
    {
        int current = Volatile.Read(ref _references);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        int remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
            if (buffer is not null)
            {
                _pool.Return(buffer);
            }
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException($"Snapshot of version {Version} released more often than referenced.");
        }
    }
}
