namespace ParamServer.Psctl.Cli;

/// <summary>A command line split into option values, in the order given, and positional arguments.</summary>
public sealed class ParsedArguments<TSettings>
{
    public required IReadOnlyList<OptionOccurrence<TSettings>> Options { get; init; }

    public required IReadOnlyList<string> Positionals { get; init; }

    public bool HelpRequested { get; init; }

    /// <summary>Values of the options named <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> ValuesOf(string name) =>
        Options.Where(o => o.Option.Name == name).Select(o => o.Value);

    /// <summary>Applies every option except those in <paramref name="skip"/>, in command-line order.</summary>
    public void ApplyTo(TSettings settings, params string[] skip)
    {
        foreach (OptionOccurrence<TSettings> occurrence in Options)
        {
            if (!skip.Contains(occurrence.Option.Name))
            {
                occurrence.ApplyTo(settings);
            }
        }
    }
}
