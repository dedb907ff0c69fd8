using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Data;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Commands;

/// <summary><c>psctl data</c>: fetches (if needed) and verifies the MNIST files, then prints their directory.</summary>
public static class DataCommand
{
    public const string Usage = "psctl data [--data-dir PATH | --cache-dir PATH] [--npm PATH]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        var options = TrainOptionCatalog.Options.Where(o => o.Group == "Data").ToArray();
        ParsedArguments<TrainSettings> parsed = CommandLineParser.Parse(args, options, "data");
        if (parsed.HelpRequested)
        {
            context.Output.Write(HelpText.ForCommand("data", Usage, options));
            return ExitCodes.Success;
        }

        if (parsed.Positionals.Count > 0)
        {
            throw new OptionException($"Unexpected argument '{parsed.Positionals[0]}' for 'psctl data'. Usage: {Usage}");
        }

        var settings = new TrainSettings();
        parsed.ApplyTo(settings);
        var cache = new MnistCache(context.LoggerFactory.CreateLogger("ParamServer.Psctl.Data"));
        string directory = await cache.EnsureAsync(
            settings.DataDirectory, settings.CacheDirectory, settings.Npm, context.Cancellation);
        context.Output.WriteLine(directory);
        return ExitCodes.Success;
    }
}
