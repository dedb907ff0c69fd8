using System.Globalization;
using ParamServer.Psctl.Status;

namespace ParamServer.Psctl.Training;

/// <summary>
/// Writes the live progress line. On a terminal the line is redrawn in place; when output is redirected a new
/// line is written at most every <see cref="RedirectedInterval"/>, so logs stay readable.
/// </summary>
public sealed class ProgressLine
{
    /// <summary>Minimum time between lines when output is not a terminal.</summary>
    public static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(10);

    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly TrainPlan _plan;
    private TimeSpan? _lastWritten;
    private bool _lineOpen;

    public ProgressLine(TextWriter output, bool interactive, TrainPlan plan)
    {
        _output = output;
        _interactive = interactive;
        _plan = plan;
    }

    /// <summary>Formats one snapshot, such as "epoch 2/5  step 412/1175  5.2 steps/s  loss 0.1234 ...".</summary>
    public static string Format(ProgressSnapshot snapshot, TrainPlan plan)
    {
        string accuracy = snapshot.TestAccuracy is double value
            ? string.Create(CultureInfo.InvariantCulture, $"{Units.Percent(value)} @{snapshot.EvaluationVersion}")
            : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {snapshot.Epoch}/{plan.Settings.Epochs}  step {snapshot.Version}/{plan.ExpectedVersions}  " +
            $"{Units.Rate(snapshot.StepsPerSecond)} steps/s  loss {Units.Number(snapshot.TrainingLoss)}  " +
            $"test acc {accuracy}  lr {Units.Number(snapshot.LearningRate)}  workers {snapshot.LiveWorkers}  " +
            $"moved {Units.Bytes(snapshot.BytesMoved)}  {Units.Duration(snapshot.Elapsed.TotalSeconds)}");
    }

    public void Update(ProgressSnapshot snapshot)
    {
        string line = Format(snapshot, _plan);
        if (_interactive)
        {
            _output.Write("\r" + line + "\u001b[K");
            _lineOpen = true;
        }
        else if (_lastWritten is not TimeSpan last || snapshot.Elapsed - last >= RedirectedInterval)
        {
            _output.WriteLine(line);
            _lastWritten = snapshot.Elapsed;
        }

        _output.Flush();
    }

    /// <summary>Ends the redrawn line so that the next output starts on a fresh line.</summary>
    public void Finish()
    {
        if (_lineOpen)
        {
            _output.WriteLine();
            _lineOpen = false;
        }
    }
}
