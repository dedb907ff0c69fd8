using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Training;

/// <summary>
/// Everything <c>psctl train</c> needs: the cluster's shape, the data, the job (model, optimizer, schedule,
/// consistency, training) and the settings passed through to every shard and worker process. Values start at
/// the documented defaults and are overwritten by the configuration file, then by the command line.
/// Null means "not set": the job gets a computed value or the process keeps its own default.
/// </summary>
public sealed class TrainSettings
{
    // Cluster.
    public int Shards { get; set; } = 2;

    public int Workers { get; set; } = 2;

    public EvaluatorPlacement Evaluator { get; set; } = EvaluatorPlacement.Dedicated;

    public string JobId { get; set; } = "mnist";

    public string? RunDirectory { get; set; }

    public string? ShardProgram { get; set; }

    public string? WorkerProgram { get; set; }

    public string? DotnetHost { get; set; }

    public double StartupTimeoutSeconds { get; set; } = 120;

    public double StopTimeoutSeconds { get; set; } = 10;

    public double PollIntervalSeconds { get; set; } = 1;

    public bool Progress { get; set; } = true;

    public string? AuthToken { get; set; }

    // Data.
    public string? DataDirectory { get; set; }

    public string? CacheDirectory { get; set; }

    public string Npm { get; set; } = "npm";

    // Model.
    public int[] LayerSizes { get; set; } = [784, 256, 128, 10];

    public ulong ModelSeed { get; set; } = 42;

    // Optimizer.
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Momentum;

    public double? Momentum { get; set; }

    public double? Dampening { get; set; }

    public bool Nesterov { get; set; }

    public double? Beta1 { get; set; }

    public double? Beta2 { get; set; }

    public double? Epsilon { get; set; }

    public double? Rho { get; set; }

    public bool Centered { get; set; }

    public double InitialAccumulator { get; set; }

    public double WeightDecay { get; set; }

    public double ClipValue { get; set; }

    public double ClipNorm { get; set; }

    // Schedule.
    public ScheduleKind Schedule { get; set; } = ScheduleKind.Polynomial;

    /// <summary>Base learning rate; null takes <see cref="DefaultLearningRateFor"/> the consistency mode.</summary>
    public double? LearningRate { get; set; }

    /// <summary>The base learning rate in force: the one given, or the mode's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? DefaultLearningRateFor(Consistency);

    public long DecaySteps { get; set; }

    public double Power { get; set; } = DefaultPower;

    public double EndLearningRate { get; set; } = DefaultEndLearningRate;

    public double Gamma { get; set; } = 0.1;

    public long WarmupSteps { get; set; }

    public double WarmupStartFactor { get; set; }

    public double PlateauFactor { get; set; } = 0.1;

    public long PlateauPatience { get; set; } = 10;

    public double PlateauThreshold { get; set; } = 1e-4;

    public PlateauThresholdMode PlateauThresholdMode { get; set; } = PlateauThresholdMode.Relative;

    public long PlateauCooldown { get; set; }

    public double PlateauMinLearningRate { get; set; }

    // Consistency.
    public ConsistencyMode Consistency { get; set; } = ConsistencyMode.Synchronous;

    public int? Staleness { get; set; }

    public bool StalenessAwareLearningRate { get; set; }

    public int MinWorkers { get; set; }

    public double HeartbeatTimeoutSeconds { get; set; }

    public long MaxStaleness { get; set; }

    // Training.
    public int BatchSize { get; set; } = 128;

    public int Epochs { get; set; } = 5;

    public ulong DataSeed { get; set; } = 1;

    public long? EvalEverySteps { get; set; }

    public bool Standardize { get; set; }

    public long MaxSteps { get; set; }

    // Passed to every shard process as Shard__NAME.
    public int? ShardChunkBytes { get; set; }

    public double? ShardHeartbeatTimeoutSeconds { get; set; }

    public int? ShardMaxWorkers { get; set; }

    public int ShardMetricsPort { get; set; } = -1;

    public string? CheckpointDirectory { get; set; }

    public long? CheckpointEverySteps { get; set; }

    public double? CheckpointEverySeconds { get; set; }

    public int? CheckpointKeep { get; set; }

    public string? TlsCertificatePath { get; set; }

    public string? TlsKeyPath { get; set; }

    public string? TlsClientCaPath { get; set; }

    public double? ShardShutdownTimeoutSeconds { get; set; }

    public int? ShardMaxMessageBytes { get; set; }

    public int? ShardMaxStreamsPerConnection { get; set; }

    public double? ShardMaxCallSeconds { get; set; }

    public int ShardHealthPort { get; set; } = -1;

    public List<KeyValuePair<string, string>> ExtraShardSettings { get; } = [];

    // Passed to every worker process as Worker__NAME.
    public string Accelerator { get; set; } = "auto";

    public int? WorkerChunkBytes { get; set; }

    public double? CallTimeoutSeconds { get; set; }

    public int? MaxRetries { get; set; }

    public double? StepTimeoutSeconds { get; set; }

    public double? RetryBaseDelayMilliseconds { get; set; }

    public double? RetryMaxDelaySeconds { get; set; }

    public double? BreakerFailureRatio { get; set; }

    public int? BreakerMinimumThroughput { get; set; }

    public double? BreakerSamplingSeconds { get; set; }

    public double? BreakerBreakSeconds { get; set; }

    public double? DeregisterTimeoutSeconds { get; set; }

    public int? ProgressEverySteps { get; set; }

    public int? EvaluationBatchSize { get; set; }

    public int WorkerMetricsPort { get; set; } = -1;

    public string WorkerMetricsListenAddress { get; set; } = "127.0.0.1";

    public string WorkerNamePrefix { get; set; } = "worker-";

    public List<KeyValuePair<string, string>> ExtraWorkerSettings { get; } = [];

    /// <summary>Base learning rate of a synchronous run: momentum SGD on the average of W minibatches.</summary>
    public const double DefaultLearningRate = 0.1;

    /// <summary>
    /// Base learning rate of the asynchronous modes, where every push of one minibatch is an update of its own and
    /// gradients arrive up to a few versions stale.
    /// </summary>
    public const double DefaultAsynchronousLearningRate = 0.05;

    public static double DefaultLearningRateFor(ConsistencyMode mode) =>
        mode == ConsistencyMode.Synchronous ? DefaultLearningRate : DefaultAsynchronousLearningRate;

    /// <summary>Exponent of the default polynomial decay.</summary>
    public const double DefaultPower = 1.0;

    /// <summary>Floor of the default polynomial decay.</summary>
    public const double DefaultEndLearningRate = 0.001;

    /// <summary>Momentum coefficient of the default optimizer.</summary>
    public const double DefaultMomentum = 0.9;
}
