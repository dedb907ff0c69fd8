using ParamServer.Protocol.V1;
using ParamServer.Server.Schedules;

namespace ParameterServer.Tests.Schedules;

public sealed class StepDrivenScheduleTests
{
    [Fact]
    public void Constant_EveryStep_ReturnsBaseRate()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.3 });

        Assert.Equal(0.3, schedule.GetLearningRate(0));
        Assert.Equal(0.3, schedule.GetLearningRate(1_000_000));
    }

    [Fact]
    public void Polynomial_PowerTwo_HitsQuarterAtHalfway()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Polynomial, BaseLearningRate = 0.1, DecaySteps = 100, Power = 2,
        });

        Assert.Equal(0.1, schedule.GetLearningRate(0));
        Assert.Equal(0.025, schedule.GetLearningRate(50), 15);
        Assert.Equal(0.1 * 0.01 * 0.01, schedule.GetLearningRate(99), 15);
        Assert.Equal(0.0, schedule.GetLearningRate(100));
        Assert.Equal(0.0, schedule.GetLearningRate(10_000));
    }

    [Fact]
    public void Polynomial_Floor_HeldAfterHorizon()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Polynomial, BaseLearningRate = 0.1, DecaySteps = 100, Power = 2, EndLearningRate = 0.01,
        });

        // (0.1 - 0.01) * 0.5^2 + 0.01 = 0.0325.
        Assert.Equal(0.1, schedule.GetLearningRate(0), 15);
        Assert.Equal(0.0325, schedule.GetLearningRate(50), 15);
        Assert.Equal(0.01, schedule.GetLearningRate(100));
        Assert.Equal(0.01, schedule.GetLearningRate(long.MaxValue));
    }

    [Fact]
    public void Polynomial_ZeroPower_MeansLinear()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Polynomial, BaseLearningRate = 0.1, DecaySteps = 100,
        });

        Assert.Equal(0.075, schedule.GetLearningRate(25), 15);
    }

    [Fact]
    public void Step_Boundaries_DropByGamma()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Step, BaseLearningRate = 1, DecaySteps = 10, Gamma = 0.5,
        });

        Assert.Equal(1.0, schedule.GetLearningRate(0));
        Assert.Equal(1.0, schedule.GetLearningRate(9));
        Assert.Equal(0.5, schedule.GetLearningRate(10));
        Assert.Equal(0.5, schedule.GetLearningRate(19));
        Assert.Equal(0.25, schedule.GetLearningRate(20));
        Assert.Equal(0.125, schedule.GetLearningRate(39));
    }

    [Fact]
    public void Exponential_FractionalPeriods_DecaySmoothly()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Exponential, BaseLearningRate = 1, DecaySteps = 10, Gamma = 0.5,
        });

        Assert.Equal(1.0, schedule.GetLearningRate(0));
        Assert.Equal(Math.Sqrt(0.5), schedule.GetLearningRate(5), 15);
        Assert.Equal(0.5, schedule.GetLearningRate(10), 15);
        Assert.Equal(0.125, schedule.GetLearningRate(30), 15);
    }

    [Fact]
    public void Cosine_Edges_ReachMinimumAndHold()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Cosine, BaseLearningRate = 0.1, DecaySteps = 100, EndLearningRate = 0.01,
        });

        // At T/4: 0.01 + 0.09 * (1 + cos(pi/4)) / 2 = 0.01 + 0.09 * 0.853553390593 = 0.0868198051534.
        Assert.Equal(0.1, schedule.GetLearningRate(0), 15);
        Assert.Equal(0.0868198051534, schedule.GetLearningRate(25), 12);
        Assert.Equal(0.055, schedule.GetLearningRate(50), 15);
        Assert.Equal(0.01, schedule.GetLearningRate(100));
        Assert.Equal(0.01, schedule.GetLearningRate(101));
        Assert.Equal(0.01, schedule.GetLearningRate(1_000_000));
    }

    [Fact]
    public void Warmup_FirstAndLastSteps_ScaleLinearly()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Constant, BaseLearningRate = 0.1, WarmupSteps = 5, WarmupStartFactor = 0.2,
        });

        // Factor 0.2 + 0.8 * t / 5: 0.2 at t = 0, 0.84 at t = 4, then 1.
        Assert.Equal(0.02, schedule.GetLearningRate(0), 15);
        Assert.Equal(0.036, schedule.GetLearningRate(1), 15);
        Assert.Equal(0.084, schedule.GetLearningRate(4), 15);
        Assert.Equal(0.1, schedule.GetLearningRate(5));
        Assert.Equal(0.1, schedule.GetLearningRate(500));
    }

    [Fact]
    public void Warmup_ZeroStartFactor_StartsAtZero()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Constant, BaseLearningRate = 0.1, WarmupSteps = 4,
        });

        Assert.Equal(0.0, schedule.GetLearningRate(0));
        Assert.Equal(0.075, schedule.GetLearningRate(3), 15);
    }

    [Fact]
    public void Warmup_OverCosine_MultipliesUnshiftedSchedule()
    {
        var spec = new ScheduleSpec
        {
            Kind = ScheduleKind.Cosine, BaseLearningRate = 0.1, DecaySteps = 100, EndLearningRate = 0.01,
        };
        ILearningRateSchedule plain = Create(spec);
        spec.WarmupSteps = 10;
        spec.WarmupStartFactor = 0.5;
        ILearningRateSchedule warmed = Create(spec);

        Assert.Equal(plain.GetLearningRate(4) * (0.5 + (0.5 * 4 / 10)), warmed.GetLearningRate(4), 15);
        Assert.Equal(plain.GetLearningRate(10), warmed.GetLearningRate(10));
        Assert.Equal(0.055, warmed.GetLearningRate(50), 15);
        Assert.Equal(0.01, warmed.GetLearningRate(100));
    }

    [Fact]
    public void GetLearningRate_NegativeStep_Throws()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.1 });

        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.GetLearningRate(-1));
    }

    [Fact]
    public void ReportValidationLoss_NonPlateau_NeverReduces()
    {
        ILearningRateSchedule schedule = Create(new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = 0.1 });

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(new PlateauOutcome(false, 0, 1.0), schedule.ReportValidationLoss(i, 1.0));
        }

        Assert.Equal(0.1, schedule.GetLearningRate(20));
        Assert.Equal(20L, schedule.CaptureState().Reports);
    }

    private static ILearningRateSchedule Create(ScheduleSpec spec) => ScheduleFactory.Create(spec);
}
