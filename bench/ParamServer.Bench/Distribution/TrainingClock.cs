using System.Diagnostics;

namespace ParamServer.Bench.Distribution;

/// <summary>
/// Training time of one run: wall-clock time since the first step started, less the time spent evaluating on the
/// test set, so that the evaluation cadence does not change the figure. Records when the test accuracy first reached
/// the target and the step rate after a warm-up.
/// </summary>
internal sealed class TrainingClock
{
    private readonly double _targetAccuracy;
    private readonly int _warmupSteps;
    private long _start;
    private double _excludedMs;
    private double _warmupEndMs = double.NaN;
    private long _warmupEndVersion;

    public TrainingClock(double targetAccuracy, int warmupSteps)
    {
        _targetAccuracy = targetAccuracy;
        _warmupSteps = warmupSteps;
    }

    /// <summary>Training milliseconds at the step whose weights first reached the target; NaN when none did.</summary>
    public double TimeToTargetMs { get; private set; } = double.NaN;

    /// <summary>Version (step count) whose weights first reached the target; 0 when none did.</summary>
    public long VersionAtTarget { get; private set; }

    public double BestAccuracy { get; private set; }

    public long LastVersion { get; private set; }

    public double LastStepMs { get; private set; }

    public int Evaluations { get; private set; }

    public bool Reached => VersionAtTarget > 0;

    /// <summary>Steps per second of training time after the warm-up steps.</summary>
    public double StepsPerSecond => double.IsNaN(_warmupEndMs) || LastVersion <= _warmupEndVersion
        ? double.NaN
        : (LastVersion - _warmupEndVersion) / ((LastStepMs - _warmupEndMs) / 1000);

    public void Start() => _start = Stopwatch.GetTimestamp();

    /// <summary>Marks the end of the step that produced <paramref name="version"/>.</summary>
    public void StepCompleted(long version)
    {
        LastVersion = version;
        LastStepMs = NowMs();
        if (version >= _warmupSteps && double.IsNaN(_warmupEndMs))
        {
            _warmupEndMs = LastStepMs;
            _warmupEndVersion = version;
        }
    }

    /// <summary>
    /// Records an evaluation of <paramref name="version"/> that started right after the last step and ended now;
    /// returns true when it is the first to reach the target.
    /// </summary>
    public bool Evaluated(long version, double accuracy)
    {
        Evaluations++;
        double now = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        _excludedMs += now - (LastStepMs + _excludedMs);
        BestAccuracy = Math.Max(BestAccuracy, accuracy);
        if (accuracy >= _targetAccuracy && !Reached)
        {
            TimeToTargetMs = LastStepMs;
            VersionAtTarget = version;
            return true;
        }

        return false;
    }

    private double NowMs() => Stopwatch.GetElapsedTime(_start).TotalMilliseconds - _excludedMs;
}
