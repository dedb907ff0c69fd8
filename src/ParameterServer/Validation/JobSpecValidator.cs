using System.Text.RegularExpressions;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;

namespace ParamServer.Server.Validation;

/// <summary>
/// Normalizes and checks a job spec before a shard creates the job. Normalizing fills the defaults a client may
/// leave out (num_shards 0 means the shard's count, a missing or unspecified consistency mode means synchronous), so
/// the same job described with and without defaults compares equal.
/// </summary>
internal static partial class JobSpecValidator
{
    /// <summary>Largest shard slice in float32 elements: its bytes must fit one .NET array.</summary>
    public const long MaxSliceElements = int.MaxValue / sizeof(float);

    /// <summary>Returns a normalized copy of <paramref name="spec"/>.</summary>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument naming the first invalid field.</exception>
    public static JobSpec Normalize(JobSpec? spec, int shardCount, int shardIndex)
    {
        if (spec is null)
        {
            throw ShardErrors.InvalidArgument("job is missing; expected a JobSpec.");
        }

        JobSpec normalized = spec.Clone();
        if (string.IsNullOrEmpty(normalized.JobId) || !JobIdPattern().IsMatch(normalized.JobId))
        {
            throw ShardErrors.InvalidArgument(
                $"job.job_id is '{normalized.JobId}'; expected 1 to 128 characters of letters, digits, '.', '_' or '-'.");
        }

        if (normalized.NumShards == 0)
        {
            normalized.NumShards = shardCount;
        }

        if (normalized.NumShards != shardCount)
        {
            throw ShardErrors.InvalidArgument(
                $"job.num_shards is {normalized.NumShards}; this shard runs with Shard:Count = {shardCount}.");
        }

        if (normalized.Model is null)
        {
            throw ShardErrors.InvalidArgument("job.model is missing; expected at least one tensor.");
        }

        ModelLayout layout;
        try
        {
            layout = ModelLayout.Create(normalized.Model);
        }
        catch (ArgumentException error)
        {
            throw ShardErrors.InvalidArgument($"job.{error.Message.Replace(" (Parameter 'model')", string.Empty)}");
        }
        catch (OverflowException)
        {
            throw ShardErrors.InvalidArgument("job.model has more than 2^63 - 1 elements; expected a model that fits a 64-bit count.");
        }

        if (layout.TotalElements < shardCount)
        {
            throw ShardErrors.InvalidArgument(
                $"job.model has {layout.TotalElements} parameters; expected at least one per shard ({shardCount}).");
        }

        ShardRange range = RangePartitioner.RangeOf(layout.TotalElements, shardCount, shardIndex);
        if (range.Length > MaxSliceElements)
        {
            throw ShardErrors.InvalidArgument(
                $"job.model gives shard {shardIndex} {range.Length} parameters; expected at most {MaxSliceElements} " +
                "per shard. Use more shards.");
        }

        normalized.Optimizer ??= new OptimizerSpec { Kind = OptimizerKind.Sgd };
        normalized.Schedule ??= new ScheduleSpec { Kind = ScheduleKind.Constant };
        normalized.Consistency ??= new ConsistencySpec();
        normalized.Training ??= new TrainingSpec();
        ConsistencySpec consistency = normalized.Consistency;
        if (consistency.Mode == ConsistencyMode.Unspecified)
        {
            consistency.Mode = ConsistencyMode.Synchronous;
        }

        if (!Enum.IsDefined(consistency.Mode))
        {
            throw ShardErrors.InvalidArgument($"job.consistency.mode is {(int)consistency.Mode}; expected a known mode.");
        }

        if (consistency.StalenessBound < 0)
        {
            throw ShardErrors.InvalidArgument(
                $"job.consistency.staleness_bound is {consistency.StalenessBound}; expected 0 or more.");
        }

        if (consistency.StalenessBound > 0 && consistency.Mode != ConsistencyMode.BoundedStaleness)
        {
            throw ShardErrors.InvalidArgument(
                $"job.consistency.staleness_bound is {consistency.StalenessBound} but the mode is {consistency.Mode}; " +
                "expected 0, or mode CONSISTENCY_MODE_BOUNDED_STALENESS.");
        }

        if (consistency.MinWorkers < 0)
        {
            throw ShardErrors.InvalidArgument(
                $"job.consistency.min_workers is {consistency.MinWorkers}; expected 0 or more.");
        }

        if (consistency.MaxStaleness < 0)
        {
            throw ShardErrors.InvalidArgument(
                $"job.consistency.max_staleness is {consistency.MaxStaleness}; expected 0 (accept any) or more.");
        }

        if (!(consistency.HeartbeatTimeoutSeconds >= 0) || double.IsInfinity(consistency.HeartbeatTimeoutSeconds))
        {
            throw ShardErrors.InvalidArgument(
                $"job.consistency.heartbeat_timeout_seconds is {consistency.HeartbeatTimeoutSeconds}; expected a finite " +
                "value of 0 (the shard's default) or more.");
        }

        ValidateTraining(normalized.Training);
        return normalized;
    }

    // A spec used only through the shard's own RPCs may leave the training settings at 0; workers need a batch size,
    // which they check when they load the job.
    private static void ValidateTraining(TrainingSpec training)
    {
        (string Field, long Value)[] counts =
        [
            ("batch_size", training.BatchSize),
            ("epochs", training.Epochs),
            ("eval_every_steps", training.EvalEverySteps),
            ("max_steps", training.MaxSteps),
        ];
        foreach ((string field, long value) in counts)
        {
            if (value < 0)
            {
                throw ShardErrors.InvalidArgument($"job.training.{field} is {value}; expected 0 or more.");
            }
        }

        for (int i = 0; i < training.LayerSizes.Count; i++)
        {
            if (training.LayerSizes[i] <= 0)
            {
                throw ShardErrors.InvalidArgument(
                    $"job.training.layer_sizes[{i}] is {training.LayerSizes[i]}; expected a positive size.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex JobIdPattern();
}
