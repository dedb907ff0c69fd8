using ParamServer.Protocol.V1;
using ParamServer.Server.Schedules;

namespace ParameterServer.Tests.Schedules;

public sealed class PlateauScheduleTests
{
    [Fact]
    public void Patience_DropsOnReportAfterPatienceRunsOut()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 2);

        Assert.Equal(new PlateauOutcome(false, 0, 1.0), schedule.ReportValidationLoss(10, 1.0));
        Assert.Equal(new PlateauOutcome(false, 1, 1.0), schedule.ReportValidationLoss(20, 1.0));
        Assert.Equal(new PlateauOutcome(false, 2, 1.0), schedule.ReportValidationLoss(30, 1.0));
        Assert.Equal(1.0, schedule.GetLearningRate(31));
        Assert.Equal(new PlateauOutcome(true, 0, 0.5), schedule.ReportValidationLoss(40, 1.0));
        Assert.Equal(0.5, schedule.GetLearningRate(41));
    }

    [Fact]
    public void Improvement_ResetsBadReports()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 1);

        schedule.ReportValidationLoss(1, 1.0);
        schedule.ReportValidationLoss(2, 1.0);
        Assert.Equal(new PlateauOutcome(false, 0, 1.0), schedule.ReportValidationLoss(3, 0.5));
        Assert.Equal(new PlateauOutcome(false, 1, 1.0), schedule.ReportValidationLoss(4, 0.6));
        Assert.Equal(new PlateauOutcome(true, 0, 0.5), schedule.ReportValidationLoss(5, 0.5));
    }

    [Fact]
    public void Cooldown_DelaysNextDrop()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 1, cooldown: 2);

        // Drops on report 3 (p + 1 = 2 bad reports after the first), then on report 3 + c + p + 1 = 7.
        bool[] reduced = Enumerable.Range(1, 8).Select(i => schedule.ReportValidationLoss(i, 5.0).Reduced).ToArray();

        Assert.Equal([false, false, true, false, false, false, true, false], reduced);
        Assert.Equal(0.25, schedule.GetLearningRate(9));
    }

    [Fact]
    public void RelativeThreshold_RequiresFractionalImprovement()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 5, threshold: 0.1);
        schedule.ReportValidationLoss(1, 10.0);

        // 9.5 is not below 10 * (1 - 0.1) = 9; 8.9 is.
        Assert.Equal(1L, schedule.ReportValidationLoss(2, 9.5).BadReports);
        Assert.Equal(0L, schedule.ReportValidationLoss(3, 8.9).BadReports);
        Assert.Equal(8.9, schedule.CaptureState().BestLoss);
    }

    [Fact]
    public void AbsoluteThreshold_RequiresFixedImprovement()
    {
        ILearningRateSchedule schedule = Create(
            factor: 0.5, patience: 5, threshold: 0.1, mode: PlateauThresholdMode.Absolute);
        schedule.ReportValidationLoss(1, 10.0);

        // 9.95 is not below 10 - 0.1 = 9.9; 9.5 is (it would not be in relative mode).
        Assert.Equal(1L, schedule.ReportValidationLoss(2, 9.95).BadReports);
        Assert.Equal(0L, schedule.ReportValidationLoss(3, 9.5).BadReports);
        Assert.Equal(9.5, schedule.CaptureState().BestLoss);
    }

    [Fact]
    public void MinimumRate_StopsReductions()
    {
        ILearningRateSchedule schedule = Create(factor: 0.1, patience: 0, minimum: 0.05);

        Assert.False(schedule.ReportValidationLoss(1, 1.0).Reduced);
        Assert.True(schedule.ReportValidationLoss(2, 1.0).Reduced);
        Assert.Equal(0.1, schedule.GetLearningRate(3), 15);
        Assert.True(schedule.ReportValidationLoss(3, 1.0).Reduced);
        Assert.Equal(0.05, schedule.GetLearningRate(4));
        Assert.False(schedule.ReportValidationLoss(4, 1.0).Reduced);
        Assert.Equal(0.05, schedule.GetLearningRate(5));
    }

    [Fact]
    public void NaNLoss_CountsAsNoImprovement()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 3);
        schedule.ReportValidationLoss(1, 1.0);

        Assert.Equal(1L, schedule.ReportValidationLoss(2, double.NaN).BadReports);
        Assert.Equal(1.0, schedule.CaptureState().BestLoss);
    }

    [Fact]
    public void Defaults_MatchPyTorch()
    {
        ILearningRateSchedule schedule = ScheduleFactory.Create(
            new ScheduleSpec { Kind = ScheduleKind.Plateau, BaseLearningRate = 1 });
        schedule.ReportValidationLoss(0, 1.0);

        // Threshold 1e-4 relative: 0.99995 is not below 0.9999. Patience 10: the 11th bad report drops by 0.1.
        Assert.Equal(1L, schedule.ReportValidationLoss(1, 0.99995).BadReports);
        for (int i = 2; i <= 10; i++)
        {
            Assert.False(schedule.ReportValidationLoss(i, 1.0).Reduced);
        }

        Assert.Equal(new PlateauOutcome(true, 0, 0.1), schedule.ReportValidationLoss(11, 1.0));
        Assert.Equal(0.1, schedule.GetLearningRate(12));
    }

    [Fact]
    public void ExplicitZeroPatience_DropsOnFirstBadReport()
    {
        var spec = new ScheduleSpec { Kind = ScheduleKind.Plateau, BaseLearningRate = 1, PlateauPatience = 0 };
        ILearningRateSchedule schedule = ScheduleFactory.Create(spec);

        schedule.ReportValidationLoss(0, 1.0);

        Assert.True(schedule.ReportValidationLoss(1, 1.0).Reduced);
    }

    [Fact]
    public void RestoreState_ContinuesLikeUninterrupted()
    {
        double[] losses = [3, 2, 2.5, 2.4, 2.3, 2.2, 2.1, 2.0, 2.05, 2.1, 2.2, 1.0, 1.1, 1.2];
        ILearningRateSchedule uninterrupted = Create(factor: 0.5, patience: 1, cooldown: 1, threshold: 0.1);
        var expected = losses.Select((loss, i) => uninterrupted.ReportValidationLoss(i, loss)).ToArray();

        ILearningRateSchedule first = Create(factor: 0.5, patience: 1, cooldown: 1, threshold: 0.1);
        for (int i = 0; i < 6; i++)
        {
            first.ReportValidationLoss(i, losses[i]);
        }

        ScheduleState checkpoint = first.CaptureState();
        ILearningRateSchedule resumed = Create(factor: 0.5, patience: 1, cooldown: 1, threshold: 0.1);
        resumed.RestoreState(checkpoint);

        Assert.Equal(6L, checkpoint.Reports);
        for (int i = 6; i < losses.Length; i++)
        {
            Assert.Equal(expected[i], resumed.ReportValidationLoss(i, losses[i]));
        }

        Assert.Equal(uninterrupted.CaptureState(), resumed.CaptureState());
        Assert.Equal(uninterrupted.GetLearningRate(100), resumed.GetLearningRate(100));
    }

    [Fact]
    public void RestoreState_ScaleOutOfRange_Throws()
    {
        ILearningRateSchedule schedule = Create(factor: 0.5, patience: 1);

        var error = Assert.Throws<ArgumentException>(
            () => schedule.RestoreState(new ScheduleState(2.0, 1.0, 0, 0, 3)));

        Assert.StartsWith("The plateau scale is 2; expected a value in (0, 1].", error.Message);
    }

    [Fact]
    public void Warmup_OverPlateau_ForwardsReports()
    {
        ILearningRateSchedule schedule = ScheduleFactory.Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Plateau,
            BaseLearningRate = 1,
            PlateauPatience = 0,
            PlateauFactor = 0.5,
            WarmupSteps = 4,
            WarmupStartFactor = 0.5,
        });

        schedule.ReportValidationLoss(0, 1.0);
        Assert.True(schedule.ReportValidationLoss(1, 1.0).Reduced);

        Assert.Equal(0.5 * 0.75, schedule.GetLearningRate(2), 15);
        Assert.Equal(0.5, schedule.GetLearningRate(4));
        Assert.Equal(0.5, schedule.CaptureState().Scale);
    }

    private static ILearningRateSchedule Create(
        double factor,
        long patience,
        long cooldown = 0,
        double threshold = 0,
        PlateauThresholdMode mode = PlateauThresholdMode.Relative,
        double minimum = 0) =>
        ScheduleFactory.Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Plateau,
            BaseLearningRate = 1,
            PlateauFactor = factor,
            PlateauPatience = patience,
            PlateauCooldown = cooldown,
            PlateauThreshold = threshold,
            PlateauThresholdMode = mode,
            PlateauMinLearningRate = minimum,
        });
}
