namespace ParamServer.Psctl.Cli;

/// <summary>
/// One option of a psctl command: its command-line name, its key in a JSON configuration file, the values it
/// accepts and how a parsed value is stored in the command's settings object.
/// </summary>
/// <typeparam name="TSettings">The settings object the option writes to.</typeparam>
public sealed class OptionDefinition<TSettings>
{
    /// <summary>Long name without the leading dashes, such as "batch-size".</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Dotted path in a configuration file, such as "training.batchSize"; null for options that exist only on the
    /// command line (for example --config itself).
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>Placeholder shown in help, such as "N" or "PATH"; empty for a flag.</summary>
    public required string ValueName { get; init; }

    /// <summary>The accepted values in words, used in help and in rejection messages.</summary>
    public required string Accepted { get; init; }

    /// <summary>The default in words, as shown in help and in the configuration reference.</summary>
    public required string DefaultText { get; init; }

    public required string Help { get; init; }

    /// <summary>Group heading in help and in the configuration reference.</summary>
    public required string Group { get; init; }

    /// <summary>A flag takes no value on the command line (--name means true; --name=false is also accepted).</summary>
    public bool IsFlag { get; init; }

    /// <summary>A repeatable option may be given more than once; each occurrence is applied in order.</summary>
    public bool IsRepeatable { get; init; }

    /// <summary>
    /// Parses <c>value</c> and stores it; throws <see cref="FormatException"/> when the text is not a valid value,
    /// which the caller turns into an <see cref="OptionException"/> naming the option and <see cref="Accepted"/>.
    /// </summary>
    public required Action<TSettings, string> Apply { get; init; }

    public string CommandLineName => "--" + Name;
}
