using System.Globalization;
using Microsoft.Extensions.Options;
using ParamServer.Transport;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Hosting;

/// <summary>
/// Checks <see cref="WorkerOptions"/> at start-up and lists every invalid option with its value and the accepted
/// range, so one run shows all configuration mistakes.
/// </summary>
public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    /// <summary>Accepted values of <see cref="WorkerOptions.Accelerator"/>.</summary>
    public static readonly IReadOnlyList<string> Accelerators = ["auto", "cuda", "opencl", "cpu"];

    /// <summary>Smallest accepted <see cref="WorkerOptions.ChunkBytes"/>: 4 KiB.</summary>
    public const int MinChunkBytes = 4096;

    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.JobId))
        {
            failures.Add("Worker:JobId is empty; expected the id of the job to train, such as --Worker:JobId=mnist.");
        }

        ValidateShards(options, failures);
        if (!Accelerators.Contains(options.Accelerator.ToLowerInvariant()))
        {
            failures.Add(
                $"Worker:Accelerator is '{options.Accelerator}'; expected one of {string.Join(", ", Accelerators)}.");
        }

        Range(failures, "ChunkBytes", options.ChunkBytes, MinChunkBytes, FloatPayload.MaxChunkBytes);
        Positive(failures, "CallTimeoutSeconds", options.CallTimeoutSeconds, 3600);
        Positive(failures, "StepTimeoutSeconds", options.StepTimeoutSeconds, 86400);
        Range(failures, "MaxRetries", options.MaxRetries, 0, 1000);
        Positive(failures, "RetryBaseDelayMilliseconds", options.RetryBaseDelayMilliseconds, 60_000);
        Positive(failures, "RetryMaxDelaySeconds", options.RetryMaxDelaySeconds, 3600);
        if (options.RetryMaxDelaySeconds * 1000 < options.RetryBaseDelayMilliseconds)
        {
            failures.Add(
                $"Worker:RetryMaxDelaySeconds is {Format(options.RetryMaxDelaySeconds)}; expected at least " +
                $"Worker:RetryBaseDelayMilliseconds ({Format(options.RetryBaseDelayMilliseconds)} ms).");
        }

        if (!(options.BreakerFailureRatio > 0 && options.BreakerFailureRatio <= 1))
        {
            failures.Add(
                $"Worker:BreakerFailureRatio is {Format(options.BreakerFailureRatio)}; expected a ratio in (0, 1].");
        }

        // Polly's circuit breaker accepts at least 2 attempts and at least 500 ms windows and breaks.
        Range(failures, "BreakerMinimumThroughput", options.BreakerMinimumThroughput, 2, 100_000);
        AtLeast(failures, "BreakerSamplingSeconds", options.BreakerSamplingSeconds, 0.5, 86400);
        AtLeast(failures, "BreakerBreakSeconds", options.BreakerBreakSeconds, 0.5, 86400);
        Positive(failures, "DiscoveryTimeoutSeconds", options.DiscoveryTimeoutSeconds, 86400);
        Positive(failures, "DeregisterTimeoutSeconds", options.DeregisterTimeoutSeconds, 3600);
        Range(failures, "ProgressEverySteps", options.ProgressEverySteps, 0, int.MaxValue);
        Range(failures, "EvaluationBatchSize", options.EvaluationBatchSize, 0, 1 << 20);
        if (!string.IsNullOrEmpty(options.JobFile) && !File.Exists(options.JobFile))
        {
            failures.Add($"Worker:JobFile is '{options.JobFile}', which does not exist; expected a JobSpec JSON file.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateShards(WorkerOptions options, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(options.Shards))
        {
            try
            {
                ShardDiscovery.ParseList(options.Shards);
            }
            catch (FormatException e)
            {
                failures.Add(e.Message);
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ShardsDns))
        {
            try
            {
                ShardDiscovery.ParseDnsName(options.ShardsDns);
            }
            catch (FormatException e)
            {
                failures.Add(e.Message);
            }
        }
        else
        {
            failures.Add(
                "Worker:Shards and Worker:ShardsDns are both empty; expected the shard endpoints in index order, " +
                    "such " +
                "as --Worker:Shards=http://127.0.0.1:50051, or a name:port that resolves to every shard.");
        }
    }

    private static void Range(List<string> failures, string option, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Worker:{option} is {value}; expected {min} to {max}.");
        }
    }

    private static void Positive(List<string> failures, string option, double value, double max)
    {
        if (!(value > 0 && value <= max))
        {
            failures.Add($"Worker:{option} is {Format(value)}; expected more than 0 and at most {Format(max)}.");
        }
    }

    private static void AtLeast(List<string> failures, string option, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            failures.Add($"Worker:{option} is {Format(value)}; expected {Format(min)} to {Format(max)}.");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
