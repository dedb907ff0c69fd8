using ParamServer.Protocol.V1;
using ParamServer.Server.Schedules;

namespace ParameterServer.Tests.Schedules;

public sealed class ScheduleSpecValidatorTests
{
    [Fact]
    public void Validate_MissingRateAndHorizon_NamesBoth()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec { Kind = ScheduleKind.Cosine });

        Assert.Equal(
            [
                "schedule.base_learning_rate is 0; expected a finite value > 0.",
                "schedule.decay_steps is 0; expected a value >= 1.",
            ],
            errors);
    }

    [Fact]
    public void Validate_FloorAboveBase_Rejected()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec
        {
            Kind = ScheduleKind.Polynomial, BaseLearningRate = 0.1, DecaySteps = 10, Power = -1, EndLearningRate = 0.2,
        });

        Assert.Equal(
            [
                "schedule.power is -1; expected a finite value >= 0 (0 means 1).",
                "schedule.end_learning_rate is 0.2; expected a value in [0, 0.1] (at most schedule.base_learning_rate).",
            ],
            errors);
    }

    [Fact]
    public void Validate_StepWithoutGamma_Rejected()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec
        {
            Kind = ScheduleKind.Step, BaseLearningRate = 0.1, DecaySteps = 10,
        });

        Assert.Equal(["schedule.gamma is 0; expected a value in (0, 1]."], errors);
    }

    [Fact]
    public void Validate_PlateauOutOfRange_ReportsEach()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec
        {
            Kind = ScheduleKind.Plateau,
            BaseLearningRate = 0.1,
            PlateauFactor = 1.5,
            PlateauPatience = -1,
            PlateauCooldown = -2,
            PlateauThreshold = 1,
            WarmupSteps = -3,
            WarmupStartFactor = 2,
        });

        Assert.Equal(
            [
                "schedule.warmup_steps is -3; expected a value >= 0.",
                "schedule.warmup_start_factor is 2; expected a value in [0, 1].",
                "schedule.plateau_factor is 1.5; expected a value in (0, 1).",
                "schedule.plateau_patience is -1; expected a value >= 0.",
                "schedule.plateau_cooldown is -2; expected a value >= 0.",
                "schedule.plateau_threshold is 1; expected a value in [0, 1).",
            ],
            errors);
    }

    [Fact]
    public void Validate_AbsoluteThresholdAboveOne_Accepted()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec
        {
            Kind = ScheduleKind.Plateau,
            BaseLearningRate = 0.1,
            PlateauThreshold = 5,
            PlateauThresholdMode = PlateauThresholdMode.Absolute,
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_UnspecifiedKind_ListsKinds()
    {
        IReadOnlyList<string> errors = ScheduleSpecValidator.Validate(new ScheduleSpec { BaseLearningRate = 0.1 });

        Assert.Equal(
            [
                "schedule.kind is SCHEDULE_KIND_UNSPECIFIED; expected one of SCHEDULE_KIND_CONSTANT, "
                + "SCHEDULE_KIND_POLYNOMIAL, SCHEDULE_KIND_STEP, SCHEDULE_KIND_EXPONENTIAL, SCHEDULE_KIND_COSINE, "
                + "SCHEDULE_KIND_PLATEAU.",
            ],
            errors);
    }

    [Fact]
    public void Create_InvalidSpec_ThrowsWithMessages()
    {
        var error = Assert.Throws<ArgumentException>(
            () => ScheduleFactory.Create(new ScheduleSpec { Kind = ScheduleKind.Constant, BaseLearningRate = -1 }));

        Assert.StartsWith("schedule.base_learning_rate is -1; expected a finite value > 0.", error.Message);
    }

    [Fact]
    public void Create_Warmup_WrapsSchedule()
    {
        LearningRateSchedule schedule = ScheduleFactory.Create(new ScheduleSpec
        {
            Kind = ScheduleKind.Step, BaseLearningRate = 0.1, DecaySteps = 5, Gamma = 0.5, WarmupSteps = 3,
        });

        var warmup = Assert.IsType<LinearWarmupSchedule>(schedule);
        Assert.IsType<StepSchedule>(warmup.Inner);
    }
}
