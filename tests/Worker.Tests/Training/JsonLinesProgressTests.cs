using System.Text.Json;
using ParamServer.Worker.Hosting;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

public sealed class JsonLinesProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 8, 30, 0, 250, TimeSpan.Zero);

    [Fact]
    public void StepCompleted_WritesOrderedLine()
    {
        var output = new StringWriter();
        var progress = new JsonLinesProgress(output, new FixedTime(Now));

        progress.StepCompleted(new StepCompleted("mnist", 3, Epoch: 1, Step: 120, Version: 480, Loss: 0.25, Samples: 128));

        Assert.Equal(
            "{\"event\":\"step\",\"time\":\"2026-12-04T08:30:00.25Z\",\"job\":\"mnist\",\"worker\":3,\"epoch\":1," +
            "\"step\":120,\"version\":480,\"loss\":0.25,\"samples\":128}" + Environment.NewLine,
            output.ToString());
    }

    [Fact]
    public void Finished_NonFiniteNumbers_WrittenAsNull()
    {
        var output = new StringWriter();
        var progress = new JsonLinesProgress(output, new FixedTime(Now));
        var summary = new TrainingSummary(
            "mnist", 3, "stopped", 0, 0, 7, double.NaN, double.NaN, new PushCounts(0, 0, 0, 0), 0);

        progress.Finished(summary, WorkerExitCode.Stopped);

        using JsonDocument line = JsonDocument.Parse(output.ToString());
        JsonElement root = line.RootElement;
        Assert.Equal("finished", root.GetProperty("event").GetString());
        Assert.Equal(6, root.GetProperty("exit_code").GetInt32());
        Assert.Equal("stopped", root.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("accuracy").ValueKind);
        Assert.Equal(7, root.GetProperty("version").GetInt64());
    }

    [Fact]
    public void Failed_MessageWithQuotes_StaysOneValidLine()
    {
        var output = new StringWriter();
        var progress = new JsonLinesProgress(output, new FixedTime(Now));

        progress.Failed("mnist", WorkerExitCode.JobRejected, "job 'x' said \"no\"\nsecond line");

        string text = output.ToString();
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument line = JsonDocument.Parse(text);
        Assert.Equal("job 'x' said \"no\"\nsecond line", line.RootElement.GetProperty("error").GetString());
        Assert.Equal(3, line.RootElement.GetProperty("exit_code").GetInt32());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
