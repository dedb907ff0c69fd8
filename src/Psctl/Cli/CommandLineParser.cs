namespace ParamServer.Psctl.Cli;

/// <summary>
/// Splits GNU-style arguments (--name VALUE, --name=VALUE, --flag, --flag=false, -- to end options) against a
/// command's option definitions. Unknown or repeated options are rejected with the closest known name.
/// </summary>
public static class CommandLineParser
{
    /// <exception cref="OptionException">An option is unknown, repeated, or lacks its value.</exception>
    public static ParsedArguments<TSettings> Parse<TSettings>(
        IReadOnlyList<string> args,
        IReadOnlyList<OptionDefinition<TSettings>> definitions,
        string commandName)
    {
        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var occurrences = new List<OptionOccurrence<TSettings>>();
        var positionals = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool help = false;
        bool optionsEnded = false;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || !arg.StartsWith('-') || arg == "-")
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionException(
                    $"Unknown option '{arg}' for 'psctl {commandName}': options are written --name VALUE; " +
                    $"run 'psctl {commandName} --help' for the list.");
            }

            string name = arg[2..];
            string? inlineValue = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!byName.TryGetValue(name, out OptionDefinition<TSettings>? definition))
            {
                string? closest = ClosestName(name, byName.Keys);
                string hint = closest is null ? string.Empty : $" Did you mean --{closest}?";
                throw new OptionException(
                    $"Unknown option '--{name}' for 'psctl {commandName}'.{hint} " +
                    $"Run 'psctl {commandName} --help' for the list.");
            }

            if (!definition.IsRepeatable && !seen.Add(name))
            {
                throw new OptionException($"Option --{name} is given more than once; give it once.");
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (definition.IsFlag)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new OptionException(
                    $"Option --{name} is missing its value: expected {definition.ValueName} ({definition.Accepted}).");
            }

            occurrences.Add(new OptionOccurrence<TSettings>(definition, value, "--" + name));
        }

        return new ParsedArguments<TSettings> { Options = occurrences, Positionals = positionals, HelpRequested = help };
    }

    /// <summary>Returns the known name within edit distance 3 of <paramref name="name"/>, or null.</summary>
    public static string? ClosestName(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= 3 ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
