using ILGPU;
using ILGPU.Runtime;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Copies between host spans and device views. On the CPU accelerator a view's memory is host memory, so a copy
/// is one memcpy into or out of it. On a GPU the data passes through a reused page-locked staging array, which
/// lets the driver use DMA instead of a pageable copy through its own bounce buffer.
/// </summary>
internal sealed unsafe class HostTransfer<T> : IDisposable
    where T : unmanaged
{
    private readonly ComputeDevice _device;
    private PageLockedArray1D<T>? _staging;

    public HostTransfer(ComputeDevice device)
    {
        _device = device;
    }

    /// <summary>Copies <paramref name="source"/> into the start of <paramref name="destination"/> and waits.</summary>
    public void Upload(ReadOnlySpan<T> source, ArrayView<T> destination)
    {
        if (source.Length > destination.Length)
        {
            throw new ArgumentException(
                $"source has {source.Length} elements; the device view holds {destination.Length}.", nameof(source));
        }

        if (source.IsEmpty)
        {
            return;
        }

        ArrayView<T> target = destination.SubView(0, source.Length);
        if (_device.IsCpuAccelerator)
        {
            _device.Stream.Synchronize();
            source.CopyTo(new Span<T>((void*)target.LoadEffectiveAddressAsPtr(), source.Length));
            return;
        }

        PageLockedArray1D<T> staging = Staging(source.Length);
        source.CopyTo(staging.Span);
        // The staging span is page-locked, so the driver copies it by DMA.
        target.CopyFromCPU(_device.Stream, (ReadOnlySpan<T>)staging.Span[..source.Length]);
        _device.Stream.Synchronize();
    }

    /// <summary>Waits for queued work, then copies the start of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public void Download(ArrayView<T> source, Span<T> destination)
    {
        if (destination.Length > source.Length)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} elements; the device view holds {source.Length}.",
                nameof(destination));
        }

        if (destination.IsEmpty)
        {
            return;
        }

        ArrayView<T> origin = source.SubView(0, destination.Length);
        _device.Stream.Synchronize();
        if (_device.IsCpuAccelerator)
        {
            new ReadOnlySpan<T>((void*)origin.LoadEffectiveAddressAsPtr(), destination.Length).CopyTo(destination);
            return;
        }

        PageLockedArray1D<T> staging = Staging(destination.Length);
        origin.CopyToCPU(_device.Stream, staging.Span[..destination.Length]);
        _device.Stream.Synchronize();
        staging.Span[..destination.Length].CopyTo(destination);
    }

    public void Dispose()
    {
        _staging?.Dispose();
        _staging = null;
    }

    private PageLockedArray1D<T> Staging(int length)
    {
        if (_staging is null || _staging.Length < length)
        {
            _staging?.Dispose();
            _staging = _device.Accelerator.AllocatePageLocked1D<T>(length);
        }

        return _staging;
    }
}
