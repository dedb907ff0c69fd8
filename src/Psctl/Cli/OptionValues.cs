using System.Globalization;

namespace ParamServer.Psctl.Cli;

/// <summary>
/// Parsers for option values. Each throws <see cref="FormatException"/> for text that is not an accepted value;
/// the option parser adds the option's name and accepted range to the message.
/// </summary>
public static class OptionValues
{
    public static int ParseInt(string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            || value < min || value > max)
        {
            throw new FormatException();
        }

        return value;
    }

    public static long ParseLong(string text, long min, long max)
    {
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            || value < min || value > max)
        {
            throw new FormatException();
        }

        return value;
    }

    public static ulong ParseULong(string text)
    {
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong value))
        {
            throw new FormatException();
        }

        return value;
    }

    /// <summary>Parses a finite double in [min, max]; the flags exclude either bound.</summary>
    public static double ParseDouble(
        string text, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value)
            || (maxExclusive ? value >= max : value > max)
            || (minExclusive ? value <= min : value < min))
        {
            throw new FormatException();
        }

        return value;
    }

    public static bool ParseBool(string text) =>
        text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new FormatException(),
        };

    /// <summary>Maps <paramref name="text"/> (case-insensitive) to one of <paramref name="choices"/>.</summary>
    public static T ParseChoice<T>(string text, IReadOnlyDictionary<string, T> choices)
    {
        foreach ((string key, T value) in choices)
        {
            if (string.Equals(key, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new FormatException();
    }

    /// <summary>Parses a comma-separated list of integers, each in [min, max], with at least minCount entries.</summary>
    public static int[] ParseIntList(string text, int min, int max, int minCount)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length < minCount)
        {
            throw new FormatException();
        }

        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            values[i] = ParseInt(parts[i], min, max);
        }

        return values;
    }

    /// <summary>Parses "KEY=VALUE" with a key of letters, digits, '_' and ':' (a configuration path).</summary>
    public static KeyValuePair<string, string> ParseSetting(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException();
        }

        string key = text[..equals].Trim();
        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != ':')
            {
                throw new FormatException();
            }
        }

        return new KeyValuePair<string, string>(key, text[(equals + 1)..]);
    }

    /// <summary>Formats a double the way options are written: invariant culture, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
