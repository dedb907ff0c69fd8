using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Cluster;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Data;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl;

/// <summary>
/// Runs psctl: dispatches the command and maps failures to exit codes and messages on standard error. The first
/// Ctrl-C or SIGTERM cancels the command, so the cluster is stopped cleanly; a second one kills every child process.
/// </summary>
public static class PsctlApp
{
    /// <summary>Environment variable with the console log level (Trace, Debug, Information, Warning, Error); default Warning.</summary>
    public const string LogLevelVariable = "PSCTL_LOG_LEVEL";

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        int signals = 0;
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                Console.Error.WriteLine(
                    $"{signal.Signal} received: stopping (send it again to kill every process psctl started).");
                cancellation.Cancel();
            }
            else
            {
                ChildProcess.KillAll();
                Environment.Exit(ExitCodes.Interrupted);
            }
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

        // The console shows PSCTL_LOG_LEVEL and above; providers added later (psctl.log of a run) see Information.
        LogLevel consoleLevel = ParseLogLevel(Environment.GetEnvironmentVariable(LogLevelVariable));
        using ILoggerFactory loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(consoleLevel < LogLevel.Information ? consoleLevel : LogLevel.Information)
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, consoleLevel)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            })
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));

        var context = new CommandContext(
            Console.Out, Console.Error, loggerFactory, TimeProvider.System, !Console.IsOutputRedirected,
            cancellation.Token);
        try
        {
            return await DispatchAsync(args, context);
        }
        catch (OptionException ex)
        {
            context.Error.WriteLine("psctl: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (cancellation.IsCancellationRequested
                                   && ex is OperationCanceledException
                                       or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            context.Error.WriteLine("psctl: stopped; every shard and worker process has exited.");
            return ExitCodes.Interrupted;
        }
        catch (Grpc.Core.RpcException ex)
        {
            // RpcException.Message carries the debug exception; the code and the server's detail are what matter.
            context.Error.WriteLine($"psctl: {ex.StatusCode}: {ex.Status.Detail}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is ClusterException or MnistUnavailableException or FileNotFoundException
                                       or InvalidDataException or IOException)
        {
            context.Error.WriteLine("psctl: " + ex.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            ChildProcess.KillAll();
        }
    }

    public static Task<int> DispatchAsync(IReadOnlyList<string> args, CommandContext context)
    {
        if (args.Count == 0 || args[0] is "help" or "-h" or "--help")
        {
            context.Output.Write(HelpText.General);
            return Task.FromResult(args.Count == 0 ? ExitCodes.Usage : ExitCodes.Success);
        }

        IReadOnlyList<string> rest = args.Skip(1).ToArray();
        return args[0] switch
        {
            "train" => TrainCommand.RunAsync(rest, context),
            "status" => StatusCommand.RunAsync(rest, context),
            "checkpoint" => ControlCommands.CheckpointAsync(rest, context),
            "set-lr" => ControlCommands.SetLearningRateAsync(rest, context),
            "evict" => ControlCommands.EvictAsync(rest, context),
            "shutdown" => ControlCommands.ShutdownAsync(rest, context),
            "export" => ExportCommand.RunAsync(rest, context),
            "data" => DataCommand.RunAsync(rest, context),
            "options" => PrintOptions(rest, context),
            _ => throw new OptionException(
                $"Unknown command '{args[0]}'. Commands: train, status, checkpoint, set-lr, evict, shutdown, export, " +
                "data, options. Run 'psctl --help' for details."),
        };
    }

    private static Task<int> PrintOptions(IReadOnlyList<string> args, CommandContext context)
    {
        context.Output.Write(args.Contains("--markdown")
            ? HelpText.Markdown(TrainOptionCatalog.Options)
            : HelpText.ForCommand("train", TrainCommand.Usage, TrainOptionCatalog.Options));
        return Task.FromResult(ExitCodes.Success);
    }

    private static LogLevel ParseLogLevel(string? text) =>
        Enum.TryParse(text, ignoreCase: true, out LogLevel level) ? level : LogLevel.Warning;
}
