using ParamServer.Psctl.Charts;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Tests.Training;

public sealed class ProgressLineTests
{
    [Fact]
    public void Format_ShowsEveryField()
    {
        TrainPlan plan = TrainPlan.Create(TrainCommand.ParseSettings([], TextWriter.Null)!);
        var snapshot = new ProgressSnapshot(
            Version: 412, Epoch: 2, StepsPerSecond: 5.24, TrainingLoss: 0.1234, TestAccuracy: 0.9612,
            EvaluationVersion: 351, LearningRate: 0.0651, BytesMoved: 3L << 30, LiveWorkers: 2,
            Elapsed: TimeSpan.FromSeconds(78));

        string line = ProgressLine.Format(snapshot, plan);

        Assert.Equal(
            "epoch 2/5  step 412/1175  5.2 steps/s  loss 0.1234  test acc 96.12% @351  lr 0.0651  workers 2  " +
            "moved 3.0 GiB  1m18s",
            line);
    }

    [Fact]
    public void Format_BeforeEvaluation_ShowsDash()
    {
        TrainPlan plan = TrainPlan.Create(TrainCommand.ParseSettings([], TextWriter.Null)!);
        var snapshot = new ProgressSnapshot(0, 1, 0, 0, null, 0, 0.1, 0, 0, TimeSpan.Zero);

        Assert.Contains("test acc -  lr 0.1", ProgressLine.Format(snapshot, plan));
    }

    [Fact]
    public void History_KeepsIncreasingStepsOnly()
    {
        var history = new TrainingHistory();

        history.AddLoss(0, 2.3);
        history.AddLoss(10, 1.0);
        history.AddLoss(10, 0.9);
        history.AddLoss(20, double.NaN);
        history.AddLoss(30, 0.5);
        history.AddAccuracy(10, 0.8);
        history.AddAccuracy(10, 0.8);

        Assert.Equal([new ChartPoint(10, 1.0), new ChartPoint(30, 0.5)], history.Loss);
        Assert.Equal([new ChartPoint(10, 0.8)], history.Accuracy);
    }

    [Fact]
    public void Update_Redirected_WritesAtMostEveryTenSeconds()
    {
        TrainPlan plan = TrainPlan.Create(TrainCommand.ParseSettings([], TextWriter.Null)!);
        var output = new StringWriter();
        var progress = new ProgressLine(output, interactive: false, plan);

        foreach (int seconds in new[] { 0, 3, 9, 10, 15, 21 })
        {
            progress.Update(new ProgressSnapshot(seconds, 1, 0, 0, null, 0, 0.1, 0, 2, TimeSpan.FromSeconds(seconds)));
        }

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch 1/5  step 0/1175", lines[0]);
        Assert.StartsWith("epoch 1/5  step 10/1175", lines[1]);
        Assert.StartsWith("epoch 1/5  step 21/1175", lines[2]);
    }

    [Theory]
    [InlineData("{\"event\":\"step\",\"time\":\"t\",\"job\":\"mnist\",\"worker\":1,\"epoch\":0,\"step\":9,\"version\":10,\"loss\":0.5,\"samples\":128}", 10L, 0.5)]
    public void ParseStep_StepLine_ReturnsVersionAndLoss(string line, long version, double loss)
    {
        Assert.Equal((version, loss), WorkerProgressParser.ParseStep(line));
    }

    [Theory]
    [InlineData("info: ParamServer.Worker[5100] step 3")]
    [InlineData("{\"event\":\"epoch\",\"version\":10,\"mean_loss\":0.5}")]
    [InlineData("{\"event\":\"step\",\"version\":10,\"loss\":null}")]
    [InlineData("{\"event\":\"step\",")]
    public void ParseStep_OtherLines_ReturnNull(string line)
    {
        Assert.Null(WorkerProgressParser.ParseStep(line));
    }
}
