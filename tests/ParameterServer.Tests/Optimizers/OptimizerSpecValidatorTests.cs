using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;

namespace ParameterServer.Tests.Optimizers;

public sealed class OptimizerSpecValidatorTests
{
    [Fact]
    public void Validate_Beta2OutOfRange_NamesField()
    {
        IReadOnlyList<string> errors = OptimizerSpecValidator.Validate(
            new OptimizerSpec { Kind = OptimizerKind.Adam, Beta2 = 1.5 });

        Assert.Equal(["optimizer.beta2 is 1.5; expected a value in [0, 1)."], errors);
    }

    [Fact]
    public void Validate_UnspecifiedKind_ListsKinds()
    {
        IReadOnlyList<string> errors = OptimizerSpecValidator.Validate(new OptimizerSpec());

        Assert.Equal(
            [
                "optimizer.kind is OPTIMIZER_KIND_UNSPECIFIED; expected one of OPTIMIZER_KIND_SGD, "
                + "OPTIMIZER_KIND_MOMENTUM, OPTIMIZER_KIND_MOMENTUM_EMA, OPTIMIZER_KIND_ADAGRAD, "
                + "OPTIMIZER_KIND_RMSPROP, OPTIMIZER_KIND_ADAM, OPTIMIZER_KIND_ADAMW.",
            ],
            errors);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        IReadOnlyList<string> errors = OptimizerSpecValidator.Validate(new OptimizerSpec
        {
            Kind = OptimizerKind.Momentum,
            Momentum = 1,
            Dampening = 0.5,
            Nesterov = true,
            WeightDecay = -0.1,
            ClipNorm = double.NaN,
        });

        Assert.Equal(
            [
                "optimizer.momentum is 1; expected a value in [0, 1).",
                "optimizer.nesterov is true with optimizer.dampening 0.5; Nesterov momentum requires a dampening of 0.",
                "optimizer.weight_decay is -0.1; expected a finite value >= 0 (0 disables it).",
                "optimizer.clip_norm is NaN; expected a finite value >= 0 (0 disables it).",
            ],
            errors);
    }

    [Fact]
    public void Validate_CenteredOnAdam_Rejected()
    {
        IReadOnlyList<string> errors = OptimizerSpecValidator.Validate(
            new OptimizerSpec { Kind = OptimizerKind.Adam, Centered = true, Epsilon = 0 });

        Assert.Equal(
            [
                "optimizer.epsilon is 0; expected a finite value > 0.",
                "optimizer.centered is true for OPTIMIZER_KIND_ADAM; the centered variant exists only for "
                + "OPTIMIZER_KIND_RMSPROP.",
            ],
            errors);
    }

    [Fact]
    public void Validate_UnknownKindNumber_Rejected()
    {
        IReadOnlyList<string> errors = OptimizerSpecValidator.Validate(new OptimizerSpec { Kind = (OptimizerKind)42 });

        Assert.StartsWith("optimizer.kind is 42; expected one of OPTIMIZER_KIND_SGD", Assert.Single(errors));
    }

    [Fact]
    public void Validate_NullSpec_Rejected()
    {
        Assert.Equal(
            ["optimizer is missing; expected an OptimizerSpec with a kind."],
            OptimizerSpecValidator.Validate(null));
    }

    [Fact]
    public void Create_InvalidSpec_ThrowsWithMessages()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create(
            new OptimizerSpec { Kind = OptimizerKind.Rmsprop, Rho = -1 },
            10));

        Assert.StartsWith("optimizer.rho is -1; expected a value in [0, 1).", error.Message);
    }

    [Fact]
    public void FromSpec_UnsetFields_TakeDefaults()
    {
        OptimizerHyperparameters adam = OptimizerHyperparameters.FromSpec(new OptimizerSpec { Kind = OptimizerKind.Adam });
        OptimizerHyperparameters adagrad = OptimizerHyperparameters.FromSpec(
            new OptimizerSpec { Kind = OptimizerKind.Adagrad });

        Assert.Equal(0.9, adam.Momentum);
        Assert.Equal(0.0, adam.Dampening);
        Assert.Equal(0.9, adam.Beta1);
        Assert.Equal(0.999, adam.Beta2);
        Assert.Equal(0.99, adam.Rho);
        Assert.Equal(1e-8, adam.Epsilon);
        Assert.Equal(1e-10, adagrad.Epsilon);
    }

    [Fact]
    public void FromSpec_ExplicitZero_OverridesDefault()
    {
        OptimizerHyperparameters settings = OptimizerHyperparameters.FromSpec(
            new OptimizerSpec { Kind = OptimizerKind.Momentum, Momentum = 0 });

        Assert.Equal(0.0, settings.Momentum);
    }

    [Fact]
    public void Create_EachKind_ReturnsItsOptimizer()
    {
        Assert.IsType<SgdOptimizer>(OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Sgd }, 1));
        Assert.IsType<MomentumOptimizer>(OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Momentum }, 1));
        Assert.IsType<EmaMomentumOptimizer>(
            OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.MomentumEma }, 1));
        Assert.IsType<AdaGradOptimizer>(OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Adagrad }, 1));
        Assert.IsType<RmsPropOptimizer>(OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Rmsprop }, 1));
        Assert.IsType<AdamOptimizer>(OptimizerFactory.Create(new OptimizerSpec { Kind = OptimizerKind.Adamw }, 1));
    }
}
