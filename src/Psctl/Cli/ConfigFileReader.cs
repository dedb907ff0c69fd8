using System.Text.Json;

namespace ParamServer.Psctl.Cli;

/// <summary>
/// Reads a JSON configuration file whose nested objects mirror the options' configuration paths, for example
/// <c>{"training": {"batchSize": 128}}</c> for --batch-size. Keys match case-insensitively; numbers, strings and
/// booleans are accepted as values, arrays of numbers for list options, and objects for KEY=VALUE options.
/// </summary>
public static class ConfigFileReader
{
    /// <exception cref="OptionException">The file is missing, not JSON, or has an unknown key or a bad value.</exception>
    public static IReadOnlyList<OptionOccurrence<TSettings>> Read<TSettings>(
        string path,
        IReadOnlyList<OptionDefinition<TSettings>> definitions)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionException($"Cannot read configuration file '{path}': {ex.Message}", ex);
        }

        return Parse(text, Path.GetFileName(path), definitions);
    }

    /// <summary>Parses configuration text; <paramref name="fileName"/> only labels error messages.</summary>
    public static IReadOnlyList<OptionOccurrence<TSettings>> Parse<TSettings>(
        string text,
        string fileName,
        IReadOnlyList<OptionDefinition<TSettings>> definitions)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                text,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new OptionException(
                $"Configuration file '{fileName}' is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OptionException(
                    $"Configuration file '{fileName}' holds a JSON {document.RootElement.ValueKind}; expected an object.");
            }

            var byPath = definitions
                .Where(d => d.ConfigPath is not null)
                .ToDictionary(d => d.ConfigPath!, StringComparer.OrdinalIgnoreCase);
            var occurrences = new List<OptionOccurrence<TSettings>>();
            Walk(document.RootElement, prefix: string.Empty, fileName, byPath, occurrences);
            return occurrences;
        }
    }

    private static void Walk<TSettings>(
        JsonElement element,
        string prefix,
        string fileName,
        Dictionary<string, OptionDefinition<TSettings>> byPath,
        List<OptionOccurrence<TSettings>> occurrences)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (byPath.TryGetValue(path, out OptionDefinition<TSettings>? definition))
            {
                string source = $"{definition.ConfigPath} in {fileName} (--{definition.Name})";
                foreach (string value in ValuesOf(property.Value, definition, source))
                {
                    occurrences.Add(new OptionOccurrence<TSettings>(definition, value, source));
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object
                     && byPath.Keys.Any(k => k.StartsWith(path + ".", StringComparison.OrdinalIgnoreCase)))
            {
                Walk(property.Value, path, fileName, byPath, occurrences);
            }
            else
            {
                string? closest = CommandLineParser.ClosestName(path, byPath.Keys);
                string hint = closest is null ? string.Empty : $" Did you mean '{closest}'?";
                throw new OptionException(
                    $"Unknown key '{path}' in configuration file '{fileName}'.{hint} " +
                    "docs/configuration.md lists every key.");
            }
        }
    }

    private static IEnumerable<string> ValuesOf<TSettings>(
        JsonElement value,
        OptionDefinition<TSettings> definition,
        string source)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Number:
                return [value.GetRawText()];
            case JsonValueKind.True:
                return ["true"];
            case JsonValueKind.False:
                return ["false"];
            case JsonValueKind.Array when !definition.IsRepeatable:
                return [string.Join(",", value.EnumerateArray().Select(e => ScalarText(e, definition, source)))];
            case JsonValueKind.Array:
                return value.EnumerateArray().Select(e => ScalarText(e, definition, source)).ToArray();
            case JsonValueKind.Object when definition.IsRepeatable:
                return value.EnumerateObject().Select(p => p.Name + "=" + ScalarText(p.Value, definition, source)).ToArray();
            default:
                throw new OptionException(
                    $"Invalid value {value.GetRawText()} for {source}: expected {definition.Accepted}.");
        }
    }

    private static string ScalarText<TSettings>(JsonElement value, OptionDefinition<TSettings> definition, string source) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw new OptionException(
                $"Invalid value {value.GetRawText()} for {source}: expected {definition.Accepted}."),
        };
}
