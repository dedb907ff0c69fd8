using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace ParamServer.Worker.Client;

/// <summary>
/// Builds the resilience pipeline of one shard: retries with exponential back-off and jitter around a circuit
/// breaker. The breaker sits inside the retries, so every attempt counts towards it, and a call rejected by an open
/// breaker waits out the next back-off delay instead of failing the step.
/// </summary>
public static class ShardResiliencePipeline
{
    public static ResiliencePipeline Create(int shard, ShardClientOptions options, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && TransientFaults.IsTransient(e)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    ClientLog.Retrying(
                        logger,
                        args.Context.OperationKey ?? "call",
                        shard,
                        StepOf(args.Context),
                        args.AttemptNumber + 1,
                        StatusOf(args.Outcome.Exception),
                        args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Exception);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            // Only failures that show the shard is unreachable or overloaded count. A rejected request shows that
            // the shard is up.
            ShouldHandle = static args => ValueTask.FromResult(
                args.Outcome.Exception is RpcException rpc && TransientFaults.IsTransient(rpc)),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            OnOpened = args =>
            {
                ClientLog.BreakerOpened(
                    logger,
                    shard,
                    StepOf(args.Context),
                    args.BreakDuration.TotalMilliseconds,
                    args.Context.OperationKey ?? "call",
                    args.Outcome.Exception);
                return default;
            },
            OnHalfOpened = args =>
            {
                ClientLog.BreakerHalfOpened(logger, shard, StepOf(args.Context), args.Context.OperationKey ?? "call");
                return default;
            },
            OnClosed = args =>
            {
                ClientLog.BreakerClosed(logger, shard, StepOf(args.Context), args.Context.OperationKey ?? "call");
                return default;
            },
        });

        return builder.Build();
    }

    private static long StepOf(ResilienceContext context) =>
        context.Properties.TryGetValue(ResilienceKeys.Step, out long step) ? step : -1;

    private static StatusCode StatusOf(Exception? exception) => exception switch
    {
        RpcException rpc => rpc.StatusCode,
        BrokenCircuitException => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
