using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Logging;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Commands;

/// <summary><c>psctl train</c>: parses defaults, then the configuration file, then the command line, and runs the job.</summary>
public static class TrainCommand
{
    public const string Usage = "psctl train [--config FILE] [options]";

    /// <summary>
    /// Builds the settings: the defaults, overwritten by every --config file in order, then by the other options.
    /// Returns null when --help was given.
    /// </summary>
    /// <exception cref="OptionException">An option or configuration value is invalid.</exception>
    public static TrainSettings? ParseSettings(IReadOnlyList<string> args, TextWriter output)
    {
        IReadOnlyList<OptionDefinition<TrainSettings>> options = TrainOptionCatalog.Options;
        ParsedArguments<TrainSettings> parsed = CommandLineParser.Parse(args, options, "train");
        if (parsed.HelpRequested)
        {
            output.Write(HelpText.ForCommand("train", Usage, options));
            return null;
        }

        if (parsed.Positionals.Count > 0)
        {
            throw new OptionException($"Unexpected argument '{parsed.Positionals[0]}' for 'psctl train'. Usage: {Usage}");
        }

        var settings = new TrainSettings();
        foreach (string configPath in parsed.ValuesOf(TrainOptionCatalog.ConfigOption))
        {
            foreach (OptionOccurrence<TrainSettings> occurrence in ConfigFileReader.Read(configPath, options))
            {
                occurrence.ApplyTo(settings);
            }
        }

        parsed.ApplyTo(settings, TrainOptionCatalog.ConfigOption);
        if (settings.AuthToken is null
            && Environment.GetEnvironmentVariable(OperatorSettings.TokenVariable) is { Length: > 0 } token)
        {
            settings.AuthToken = token;
        }

        return settings;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        TrainSettings? settings = ParseSettings(args, context.Output);
        if (settings is null)
        {
            return ExitCodes.Success;
        }

        TrainPlan plan = TrainPlan.Create(settings);
        settings.RunDirectory ??= TrainRunner.DefaultRunDirectory(context.Time);
        using var fileLog = new FileLoggerProvider(Path.Combine(settings.RunDirectory, "psctl.log"), LogLevel.Information);
        context.LoggerFactory.AddProvider(fileLog);
        var runner = new TrainRunner(
            context.LoggerFactory.CreateLogger("ParamServer.Psctl.Train"), context.Output, context.Interactive,
            context.Time);
        TrainResult result = await runner.RunAsync(plan, context.Cancellation);
        return result.FinalAccuracy >= 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
