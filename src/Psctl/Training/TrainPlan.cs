using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cli;

namespace ParamServer.Psctl.Training;

/// <summary>
/// A validated <see cref="TrainSettings"/> with the values computed from it: the job spec every shard creates
/// and the expected number of shard versions, which sizes the schedule's horizon and the epoch display.
/// </summary>
public sealed class TrainPlan
{
    /// <summary>Training images in MNIST.</summary>
    public const int MnistTrainSamples = 60_000;

    private TrainPlan(TrainSettings settings, JobSpec job, long versionsPerEpoch, long expectedVersions)
    {
        Settings = settings;
        Job = job;
        VersionsPerEpoch = versionsPerEpoch;
        ExpectedVersions = expectedVersions;
    }

    public TrainSettings Settings { get; }

    public JobSpec Job { get; }

    /// <summary>
    /// Shard versions per epoch: the steps per worker in synchronous mode, the pushes of all workers in the
    /// asynchronous modes (each push there is one version).
    /// </summary>
    public long VersionsPerEpoch { get; }

    /// <summary>Shard versions the whole run is expected to reach.</summary>
    public long ExpectedVersions { get; }

    /// <summary>Validates the combination of settings and builds the job.</summary>
    /// <exception cref="OptionException">Two settings contradict each other, or a value is outside its range.</exception>
    public static TrainPlan Create(TrainSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);

        // Each worker visits its block of ceil(60000 / W) samples in minibatches, the last one partial, and in a
        // synchronous job every worker takes as many steps as the largest block needs.
        long largestBlock = (MnistTrainSamples + settings.Workers - 1) / settings.Workers;
        long stepsPerEpoch = (largestBlock + settings.BatchSize - 1) / settings.BatchSize;
        bool asynchronous = settings.Consistency != ConsistencyMode.Synchronous;
        long versionsPerEpoch = asynchronous ? stepsPerEpoch * settings.Workers : stepsPerEpoch;
        long expectedVersions = versionsPerEpoch * settings.Epochs;
        if (settings.MaxSteps > 0)
        {
            long cap = asynchronous ? settings.MaxSteps * settings.Workers : settings.MaxSteps;
            expectedVersions = Math.Min(expectedVersions, cap);
        }

        var job = new JobSpec
        {
            JobId = settings.JobId,
            Model = MlpModel.CreateSpec(settings.LayerSizes, settings.ModelSeed),
            Optimizer = BuildOptimizer(settings),
            Schedule = BuildSchedule(settings, versionsPerEpoch, expectedVersions),
            Consistency = new ConsistencySpec
            {
                Mode = settings.Consistency,
                StalenessBound = settings.Consistency == ConsistencyMode.BoundedStaleness ? settings.Staleness ?? 2 : 0,
                StalenessAwareLearningRate = settings.StalenessAwareLearningRate,
                MinWorkers = settings.MinWorkers == 0 ? settings.Workers : settings.MinWorkers,
                HeartbeatTimeoutSeconds = settings.HeartbeatTimeoutSeconds,
                MaxStaleness = settings.MaxStaleness,
            },
            Training = new TrainingSpec
            {
                Dataset = "mnist",
                BatchSize = settings.BatchSize,
                Epochs = settings.Epochs,
                DataSeed = settings.DataSeed,
                EvalEverySteps = settings.Evaluator == EvaluatorPlacement.None
                    ? 0
                    : settings.EvalEverySteps ?? Math.Max(1, stepsPerEpoch / 4),
                Standardize = settings.Standardize,
                MaxSteps = settings.MaxSteps,
                LayerSizes = { settings.LayerSizes },
            },
            NumShards = settings.Shards,
        };
        return new TrainPlan(settings, job, versionsPerEpoch, expectedVersions);
    }

    private static void Validate(TrainSettings s)
    {
        if (s.LayerSizes[0] != 784 || s.LayerSizes[^1] != 10)
        {
            throw new OptionException(
                $"Invalid value '{string.Join(",", s.LayerSizes)}' for --layers: MNIST needs 784 inputs and " +
                "10 classes, so the list must start with 784 and end with 10.");
        }

        if (s.Staleness is not null && s.Consistency != ConsistencyMode.BoundedStaleness)
        {
            throw new OptionException(
                $"--staleness applies only to --consistency ssp; the mode is {TrainOptionCatalog.NameOf(s.Consistency)}.");
        }

        if (s.MinWorkers > s.Workers)
        {
            throw new OptionException(
                $"Invalid value '{s.MinWorkers}' for --min-workers: expected at most --workers ({s.Workers}).");
        }

        if (s.EndLearningRate > s.EffectiveLearningRate)
        {
            throw new OptionException(
                $"Invalid value '{OptionValues.Format(s.EndLearningRate)}' for --end-lr: expected at most " +
                $"--lr ({OptionValues.Format(s.EffectiveLearningRate)}).");
        }

        if (s.PlateauMinLearningRate > s.EffectiveLearningRate)
        {
            throw new OptionException(
                $"Invalid value '{OptionValues.Format(s.PlateauMinLearningRate)}' for --plateau-min-lr: expected at " +
                $"most --lr ({OptionValues.Format(s.EffectiveLearningRate)}).");
        }

        if (s.Schedule == ScheduleKind.Plateau && s.Evaluator == EvaluatorPlacement.None)
        {
            throw new OptionException(
                "--schedule plateau needs validation reports, but --evaluator is none; choose worker or dedicated.");
        }

        if ((s.TlsKeyPath is null) != (s.TlsCertificatePath is null))
        {
            throw new OptionException("--tls-cert and --tls-key go together; give both or neither.");
        }

        if (s.TlsClientCaPath is not null && s.TlsCertificatePath is null)
        {
            throw new OptionException("--tls-client-ca needs --tls-cert and --tls-key.");
        }

        ValidateOptimizer(s);
    }

    private static void ValidateOptimizer(TrainSettings s)
    {
        string name = TrainOptionCatalog.NameOf(s.Optimizer);
        bool momentum = s.Optimizer is OptimizerKind.Momentum or OptimizerKind.MomentumEma;
        bool adam = s.Optimizer is OptimizerKind.Adam or OptimizerKind.Adamw;
        RequireFor(s.Momentum is not null, momentum, "--momentum", "momentum or momentum-ema", name);
        RequireFor(s.Dampening is not null, s.Optimizer == OptimizerKind.Momentum, "--dampening", "momentum", name);
        RequireFor(s.Nesterov, s.Optimizer == OptimizerKind.Momentum, "--nesterov", "momentum", name);
        RequireFor(s.Beta1 is not null, adam, "--beta1", "adam or adamw", name);
        RequireFor(s.Beta2 is not null, adam, "--beta2", "adam or adamw", name);
        RequireFor(s.Rho is not null, s.Optimizer == OptimizerKind.Rmsprop, "--rho", "rmsprop", name);
        RequireFor(s.Centered, s.Optimizer == OptimizerKind.Rmsprop, "--centered", "rmsprop", name);
        RequireFor(s.InitialAccumulator != 0, s.Optimizer == OptimizerKind.Adagrad, "--initial-accumulator", "adagrad",
            name);
        RequireFor(s.Epsilon is not null, adam || s.Optimizer is OptimizerKind.Adagrad or OptimizerKind.Rmsprop,
            "--epsilon", "adagrad, rmsprop, adam or adamw", name);

        if (s.Nesterov && ((s.Momentum ?? TrainSettings.DefaultMomentum) <= 0 || (s.Dampening ?? 0) != 0))
        {
            throw new OptionException("--nesterov needs --momentum above 0 and --dampening 0.");
        }
    }

    private static void RequireFor(bool given, bool applies, string option, string optimizers, string optimizer)
    {
        if (given && !applies)
        {
            throw new OptionException($"{option} applies only to --optimizer {optimizers}; the optimizer is {optimizer}.");
        }
    }

    private static OptimizerSpec BuildOptimizer(TrainSettings s)
    {
        var spec = new OptimizerSpec
        {
            Kind = s.Optimizer,
            Nesterov = s.Nesterov,
            Centered = s.Centered,
            InitialAccumulator = s.InitialAccumulator,
            WeightDecay = s.WeightDecay,
            ClipValue = s.ClipValue,
            ClipNorm = s.ClipNorm,
        };
        if (s.Optimizer is OptimizerKind.Momentum or OptimizerKind.MomentumEma)
        {
            spec.Momentum = s.Momentum ?? TrainSettings.DefaultMomentum;
        }

        if (s.Dampening is { } dampening)
        {
            spec.Dampening = dampening;
        }

        if (s.Beta1 is { } beta1)
        {
            spec.Beta1 = beta1;
        }

        if (s.Beta2 is { } beta2)
        {
            spec.Beta2 = beta2;
        }

        if (s.Epsilon is { } epsilon)
        {
            spec.Epsilon = epsilon;
        }

        if (s.Rho is { } rho)
        {
            spec.Rho = rho;
        }

        return spec;
    }

    private static ScheduleSpec BuildSchedule(TrainSettings s, long versionsPerEpoch, long expectedVersions)
    {
        long decaySteps = s.DecaySteps;
        if (decaySteps == 0)
        {
            decaySteps = s.Schedule is ScheduleKind.Step or ScheduleKind.Exponential
                ? versionsPerEpoch
                : Math.Max(1, expectedVersions);
        }

        return new ScheduleSpec
        {
            Kind = s.Schedule,
            BaseLearningRate = s.EffectiveLearningRate,
            DecaySteps = decaySteps,
            Power = s.Power,
            EndLearningRate = s.EndLearningRate,
            Gamma = s.Gamma,
            WarmupSteps = s.WarmupSteps,
            WarmupStartFactor = s.WarmupStartFactor,
            PlateauFactor = s.PlateauFactor,
            PlateauPatience = s.PlateauPatience,
            PlateauThreshold = s.PlateauThreshold,
            PlateauThresholdMode = s.PlateauThresholdMode,
            PlateauCooldown = s.PlateauCooldown,
            PlateauMinLearningRate = s.PlateauMinLearningRate,
        };
    }
}
