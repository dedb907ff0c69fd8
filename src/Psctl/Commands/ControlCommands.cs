using System.Globalization;
using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Rpc;
using ParamServer.Psctl.Status;

namespace ParamServer.Psctl.Commands;

/// <summary>
/// The operator commands that change a shard's state: checkpoint, set-lr, evict and shutdown. Each calls the
/// operator RPC on every shard given, in parallel, prints one line per shard and fails if any call failed.
/// </summary>
public static class ControlCommands
{
    public const string CheckpointUsage = "psctl checkpoint (--server HOST:PORT | --servers A,B) [--job ID] [--token T]";
    public const string SetLearningRateUsage =
        "psctl set-lr (--server HOST:PORT | --servers A,B) [--job ID] (RATE | --lr RATE | --clear) [--token T]";
    public const string EvictUsage =
        "psctl evict (--server HOST:PORT | --servers A,B) [--job ID] --worker ID [--reason TEXT] [--token T]";
    public const string ShutdownUsage = "psctl shutdown (--server HOST:PORT | --servers A,B) [--checkpoint] [--token T]";

    public static Task<int> CheckpointAsync(IReadOnlyList<string> args, CommandContext context)
    {
        OperatorSettings? settings = OperatorCommandBase.Parse(
            args, "checkpoint", OperatorOptionCatalog.For(), CheckpointUsage, context);
        return settings is null
            ? Task.FromResult(ExitCodes.Success)
            : CallEachAsync(settings, context, async connection =>
            {
                CheckpointResponse response = await connection.Operator.CheckpointAsync(
                    new CheckpointRequest { JobId = settings.JobId }, connection.CallOptions(context.Cancellation));
                return string.Create(CultureInfo.InvariantCulture,
                    $"checkpoint of version {response.Version} written to {response.Path} ({Units.Bytes(response.Bytes)})");
            });
    }

    public static Task<int> SetLearningRateAsync(IReadOnlyList<string> args, CommandContext context)
    {
        var options = OperatorOptionCatalog.For("lr", "clear");
        ParsedArguments<OperatorSettings> parsed = CommandLineParser.Parse(args, options, "set-lr");
        OperatorSettings? settings = OperatorCommandBase.Parse(
            args, "set-lr", options, SetLearningRateUsage, context, maxPositionals: 1);
        if (settings is null)
        {
            return Task.FromResult(ExitCodes.Success);
        }

        if (parsed.Positionals.Count == 1)
        {
            if (settings.LearningRate is not null)
            {
                throw new OptionException("Give the learning rate once: as RATE or as --lr RATE.");
            }

            new OptionOccurrence<OperatorSettings>(options.First(o => o.Name == "lr"), parsed.Positionals[0], "RATE")
                .ApplyTo(settings);
        }

        if (settings.LearningRate is null == !settings.Clear)
        {
            throw new OptionException($"'psctl set-lr' needs either a RATE or --clear. Usage: {SetLearningRateUsage}");
        }

        return CallEachAsync(settings, context, async connection =>
        {
            SetLearningRateResponse response = await connection.Operator.SetLearningRateAsync(
                new SetLearningRateRequest
                {
                    JobId = settings.JobId,
                    LearningRate = settings.LearningRate ?? 0,
                    Clear = settings.Clear,
                },
                connection.CallOptions(context.Cancellation));
            return settings.Clear
                ? $"override cleared; learning rate {Units.Number(response.LearningRate)} from the schedule"
                : $"learning rate set to {Units.Number(response.LearningRate)}";
        });
    }

    public static Task<int> EvictAsync(IReadOnlyList<string> args, CommandContext context)
    {
        OperatorSettings? settings = OperatorCommandBase.Parse(
            args, "evict", OperatorOptionCatalog.For("worker", "reason"), EvictUsage, context);
        if (settings is null)
        {
            return Task.FromResult(ExitCodes.Success);
        }

        if (settings.WorkerId is not uint workerId)
        {
            throw new OptionException($"'psctl evict' needs --worker ID. Usage: {EvictUsage}");
        }

        return CallEachAsync(settings, context, async connection =>
        {
            EvictWorkerResponse response = await connection.Operator.EvictWorkerAsync(
                new EvictWorkerRequest { JobId = settings.JobId, WorkerId = workerId, Reason = settings.Reason },
                connection.CallOptions(context.Cancellation));
            return response.Evicted
                ? $"worker {workerId} evicted"
                : $"worker {workerId} was not registered";
        });
    }

    public static Task<int> ShutdownAsync(IReadOnlyList<string> args, CommandContext context)
    {
        OperatorSettings? settings = OperatorCommandBase.Parse(
            args, "shutdown", OperatorOptionCatalog.For("checkpoint"), ShutdownUsage, context);
        return settings is null
            ? Task.FromResult(ExitCodes.Success)
            : CallEachAsync(settings, context, async connection =>
            {
                await connection.Operator.ShutdownAsync(
                    new ShutdownRequest { Checkpoint = settings.Checkpoint }, connection.CallOptions(context.Cancellation));
                return settings.Checkpoint ? "checkpointed and stopping" : "stopping";
            }, needsJob: false);
    }

    private static async Task<int> CallEachAsync(
        OperatorSettings settings,
        CommandContext context,
        Func<ShardConnection, Task<string>> call,
        bool needsJob = true)
    {
        ShardConnection[] connections = OperatorCommandBase.Connect(settings);
        try
        {
            if (needsJob && settings.JobId.Length == 0)
            {
                settings.JobId = await ResolveJobAsync(connections[0], context.Cancellation);
            }

            (string Line, bool Succeeded)[] results = await Task.WhenAll(connections.Select(async connection =>
            {
                string endpoint = ShardEndpoint.Display(connection.Endpoint);
                try
                {
                    return ($"{endpoint}: {await call(connection)}", true);
                }
                catch (RpcException ex)
                {
                    return ($"{endpoint}: failed: {OperatorCommandBase.Describe(ex)}", false);
                }
            }));
            foreach ((string line, _) in results)
            {
                context.Output.WriteLine(line);
            }

            return results.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            foreach (ShardConnection connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Returns the only job of the shard at <paramref name="connection"/>, for commands given no --job.</summary>
    /// <exception cref="OptionException">The shard has no job or several.</exception>
    private static async Task<string> ResolveJobAsync(ShardConnection connection, CancellationToken cancellationToken)
    {
        ShardStatus status = await connection.Operator.GetStatusAsync(
            new StatusRequest(), connection.CallOptions(cancellationToken));
        string[] jobs = status.Jobs.Select(j => j.JobId).ToArray();
        return jobs.Length == 1
            ? jobs[0]
            : throw new OptionException(jobs.Length == 0
                ? $"{ShardEndpoint.Display(connection.Endpoint)} has no job."
                : $"{ShardEndpoint.Display(connection.Endpoint)} has {jobs.Length} jobs ({string.Join(", ", jobs)}); " +
                  "choose one with --job ID.");
    }
}
