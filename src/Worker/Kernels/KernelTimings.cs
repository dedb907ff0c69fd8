using System.Diagnostics;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Accumulated wall time per <see cref="KernelPhase"/>. An engine that records into it waits for the device after
/// every phase, which removes overlap between phases, so the split is for attribution and its sum exceeds the
/// time of an unrecorded step.
/// </summary>
public sealed class KernelTimings
{
    private static readonly int PhaseCount = Enum.GetValues<KernelPhase>().Length;
    private readonly long[] _ticks = new long[PhaseCount];
    private readonly int[] _counts = new int[PhaseCount];

    /// <summary>Steps recorded since the last <see cref="Reset"/>.</summary>
    public int Steps { get; private set; }

    /// <summary>Adds <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks) to <paramref name="phase"/>.</summary>
    public void Add(KernelPhase phase, long ticks)
    {
        _ticks[(int)phase] += ticks;
        _counts[(int)phase]++;
    }

    /// <summary>Marks the end of one step.</summary>
    public void CompleteStep() => Steps++;

    /// <summary>Mean milliseconds per step spent in <paramref name="phase"/>.</summary>
    public double MillisecondsPerStep(KernelPhase phase) =>
        Steps == 0 ? 0 : _ticks[(int)phase] * 1000.0 / Stopwatch.Frequency / Steps;

    /// <summary>Launches (or copies) of <paramref name="phase"/> per step.</summary>
    public double CallsPerStep(KernelPhase phase) => Steps == 0 ? 0 : (double)_counts[(int)phase] / Steps;

    public void Reset()
    {
        Array.Clear(_ticks);
        Array.Clear(_counts);
        Steps = 0;
    }
}
