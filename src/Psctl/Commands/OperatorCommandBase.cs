using Grpc.Core;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Rpc;

namespace ParamServer.Psctl.Commands;

/// <summary>Shared parsing and connection handling of the operator commands.</summary>
public static class OperatorCommandBase
{
    /// <summary>Parses the command line; returns null (after printing help) when --help was given.</summary>
    /// <exception cref="OptionException">The command line is invalid or names no server.</exception>
    public static OperatorSettings? Parse(
        IReadOnlyList<string> args,
        string command,
        IReadOnlyList<OptionDefinition<OperatorSettings>> options,
        string usage,
        CommandContext context,
        int maxPositionals = 0)
    {
        ParsedArguments<OperatorSettings> parsed = CommandLineParser.Parse(args, options, command);
        if (parsed.HelpRequested)
        {
            context.Output.Write(HelpText.ForCommand(command, usage, options));
            return null;
        }

        if (parsed.Positionals.Count > maxPositionals)
        {
            throw new OptionException(
                $"Unexpected argument '{parsed.Positionals[maxPositionals]}' for 'psctl {command}'. Usage: {usage}");
        }

        var settings = new OperatorSettings();
        parsed.ApplyTo(settings);
        if (settings.Servers.Count == 0)
        {
            throw new OptionException($"'psctl {command}' needs --server HOST:PORT or --servers A,B. Usage: {usage}");
        }

        return settings;
    }

    public static ShardConnection[] Connect(OperatorSettings settings) =>
        settings.Servers
            .Select(uri => new ShardConnection(uri, settings.EffectiveToken, TimeSpan.FromSeconds(settings.TimeoutSeconds)))
            .ToArray();

    /// <summary>Formats a failed call as "Unauthenticated: missing bearer token".</summary>
    public static string Describe(RpcException ex) =>
        string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : $"{ex.StatusCode}: {ex.Status.Detail}";
}
