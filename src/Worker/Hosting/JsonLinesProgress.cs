using System.Buffers;
using System.Text;
using System.Text.Json;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>
/// Writes each progress event as one JSON object per line (JSON Lines) for a launcher to parse. Every line has
/// "event", "time" (UTC, ISO 8601) and "job"; the other fields depend on the event and are listed in
/// docs/worker.md. Non-finite numbers are written as null.
/// </summary>
public sealed class JsonLinesProgress : ITrainingProgress
{
    private readonly TextWriter _output;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();

    public JsonLinesProgress(TextWriter output, TimeProvider timeProvider)
    {
        _output = output;
        _timeProvider = timeProvider;
    }

    public void Started(TrainingStarted started) => Write("started", started.JobId, w =>
    {
        w.WriteNumber("worker", started.WorkerId);
        w.WriteString("name", started.Name);
        w.WriteString("role", started.Role);
        w.WriteString("mode", started.Mode);
        w.WriteNumber("shards", started.Shards);
        w.WriteString("device", started.Device);
        w.WriteNumber("parameters", started.Parameters);
        w.WriteNumber("epochs", started.Epochs);
        w.WriteNumber("batch_size", started.BatchSize);
        w.WriteNumber("first_epoch", started.FirstEpoch);
        w.WriteNumber("version", started.Version);
    });

    public void StepCompleted(StepCompleted step) => Write("step", step.JobId, w =>
    {
        w.WriteNumber("worker", step.WorkerId);
        w.WriteNumber("epoch", step.Epoch);
        w.WriteNumber("step", step.Step);
        w.WriteNumber("version", step.Version);
        Number(w, "loss", step.Loss);
        w.WriteNumber("samples", step.Samples);
    });

    public void EpochCompleted(EpochCompleted epoch) => Write("epoch", epoch.JobId, w =>
    {
        w.WriteNumber("worker", epoch.WorkerId);
        w.WriteNumber("epoch", epoch.Epoch);
        w.WriteNumber("rank", epoch.Rank);
        w.WriteNumber("world_size", epoch.WorldSize);
        w.WriteNumber("steps", epoch.Steps);
        w.WriteNumber("samples", epoch.Samples);
        Number(w, "mean_loss", epoch.MeanLoss);
        w.WriteNumber("version", epoch.Version);
    });

    public void Evaluated(EvaluationCompleted evaluation) => Write("evaluation", evaluation.JobId, w =>
    {
        w.WriteNumber("worker", evaluation.WorkerId);
        w.WriteNumber("version", evaluation.Version);
        Number(w, "loss", evaluation.Loss);
        Number(w, "accuracy", evaluation.Accuracy);
        w.WriteNumber("samples", evaluation.Samples);
    });

    public void Rejoined(ShardRejoined rejoin) => Write("rejoined", rejoin.JobId, w =>
    {
        w.WriteNumber("worker", rejoin.WorkerId);
        w.WriteNumber("shard", rejoin.Shard);
        w.WriteNumber("next_step", rejoin.NextStep);
        w.WriteNumber("version", rejoin.Version);
    });

    public void Finished(TrainingSummary summary, int exitCode) => Write("finished", summary.JobId, w =>
    {
        w.WriteNumber("worker", summary.WorkerId);
        w.WriteNumber("exit_code", exitCode);
        w.WriteString("reason", summary.Reason);
        w.WriteNumber("steps", summary.Steps);
        w.WriteNumber("epochs", summary.Epochs);
        w.WriteNumber("version", summary.Version);
        Number(w, "loss", summary.LastLoss);
        Number(w, "accuracy", summary.LastAccuracy);
        w.WriteNumber("applied", summary.Pushes.Applied);
        w.WriteNumber("merged", summary.Pushes.Merged);
        w.WriteNumber("deduplicated", summary.Pushes.Deduplicated);
        w.WriteNumber("rejected_stale", summary.Pushes.RejectedStale);
        w.WriteNumber("rejoins", summary.Rejoins);
    });

    public void Failed(string jobId, int exitCode, string error) => Write("failed", jobId, w =>
    {
        w.WriteNumber("exit_code", exitCode);
        w.WriteString("error", error);
    });

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private void Write(string kind, string jobId, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", kind);
            writer.WriteString("time", _timeProvider.GetUtcNow().UtcDateTime);
            writer.WriteString("job", jobId);
            fields(writer);
            writer.WriteEndObject();
        }

        string line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (_lock)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
