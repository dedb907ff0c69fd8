using System.Globalization;

namespace ParamServer.Psctl.Cli;

/// <summary>Builds a command's option list with typed helpers that state each option's accepted range once.</summary>
/// <typeparam name="TSettings">The settings object the options write to.</typeparam>
public sealed class OptionCatalogBuilder<TSettings>
{
    private readonly List<OptionDefinition<TSettings>> _options = [];
    private string _group = "Options";

    public IReadOnlyList<OptionDefinition<TSettings>> Build() => _options.ToArray();

    /// <summary>Starts a group; the options added next are listed under <paramref name="heading"/>.</summary>
    public OptionCatalogBuilder<TSettings> Group(string heading)
    {
        _group = heading;
        return this;
    }

    public OptionCatalogBuilder<TSettings> Int(
        string name, string? path, int min, int max, string defaultText, string help, Action<TSettings, int> set) =>
        Add(name, path, "N", $"an integer from {min} to {max}", defaultText, help,
            (s, v) => set(s, OptionValues.ParseInt(v, min, max)));

    public OptionCatalogBuilder<TSettings> Long(
        string name, string? path, long min, long max, string defaultText, string help, Action<TSettings, long> set) =>
        Add(name, path, "N", $"an integer from {min} to {max}", defaultText, help,
            (s, v) => set(s, OptionValues.ParseLong(v, min, max)));

    public OptionCatalogBuilder<TSettings> ULong(
        string name, string? path, string defaultText, string help, Action<TSettings, ulong> set) =>
        Add(name, path, "N", $"an integer from 0 to {ulong.MaxValue}", defaultText, help,
            (s, v) => set(s, OptionValues.ParseULong(v)));

    /// <summary>
    /// Adds a real-valued option accepting [min, max]; <paramref name="minExclusive"/> and
    /// <paramref name="maxExclusive"/> open either end of the interval.
    /// </summary>
    public OptionCatalogBuilder<TSettings> Double(
        string name,
        string? path,
        double min,
        double max,
        string defaultText,
        string help,
        Action<TSettings, double> set,
        bool minExclusive = false,
        string valueName = "X",
        bool maxExclusive = false)
    {
        string low = minExclusive ? "(" : "[";
        string high = maxExclusive ? ")" : "]";
        string accepted = string.Create(
            CultureInfo.InvariantCulture, $"a number in {low}{OptionValues.Format(min)}, {OptionValues.Format(max)}{high}");
        return Add(name, path, valueName, accepted, defaultText, help,
            (s, v) => set(s, OptionValues.ParseDouble(v, min, max, minExclusive, maxExclusive)));
    }

    public OptionCatalogBuilder<TSettings> Flag(
        string name, string? path, string defaultText, string help, Action<TSettings, bool> set)
    {
        _options.Add(new OptionDefinition<TSettings>
        {
            Name = name,
            ConfigPath = path,
            ValueName = string.Empty,
            Accepted = "true or false",
            DefaultText = defaultText,
            Help = help,
            Group = _group,
            IsFlag = true,
            Apply = (s, v) => set(s, OptionValues.ParseBool(v)),
        });
        return this;
    }

    public OptionCatalogBuilder<TSettings> Choice<T>(
        string name,
        string? path,
        IReadOnlyDictionary<string, T> choices,
        string defaultText,
        string help,
        Action<TSettings, T> set)
    {
        string accepted = "one of " + string.Join(", ", choices.Keys);
        return Add(name, path, string.Join("|", choices.Keys), accepted, defaultText, help,
            (s, v) => set(s, OptionValues.ParseChoice(v, choices)));
    }

    /// <summary>Adds a free-text option; <paramref name="validate"/> returns false for a rejected value.</summary>
    public OptionCatalogBuilder<TSettings> Text(
        string name,
        string? path,
        string valueName,
        string accepted,
        string defaultText,
        string help,
        Action<TSettings, string> set,
        Func<string, bool>? validate = null) =>
        Add(name, path, valueName, accepted, defaultText, help, (s, v) =>
        {
            if (validate is not null && !validate(v))
            {
                throw new FormatException();
            }

            set(s, v);
        });

    public OptionCatalogBuilder<TSettings> IntList(
        string name,
        string? path,
        int min,
        int max,
        int minCount,
        string defaultText,
        string help,
        Action<TSettings, int[]> set) =>
        Add(name, path, "N,N,...",
            $"at least {minCount} comma-separated integers, each from {min} to {max}", defaultText, help,
            (s, v) => set(s, OptionValues.ParseIntList(v, min, max, minCount)));

    /// <summary>Adds a repeatable KEY=VALUE option; in a configuration file it is an object of keys and values.</summary>
    public OptionCatalogBuilder<TSettings> Setting(
        string name, string? path, string help, Action<TSettings, KeyValuePair<string, string>> set)
    {
        _options.Add(new OptionDefinition<TSettings>
        {
            Name = name,
            ConfigPath = path,
            ValueName = "KEY=VALUE",
            Accepted = "KEY=VALUE with a key of letters, digits, '_' and ':'",
            DefaultText = "none",
            Help = help,
            Group = _group,
            IsRepeatable = true,
            Apply = (s, v) => set(s, OptionValues.ParseSetting(v)),
        });
        return this;
    }

    private OptionCatalogBuilder<TSettings> Add(
        string name,
        string? path,
        string valueName,
        string accepted,
        string defaultText,
        string help,
        Action<TSettings, string> apply)
    {
        _options.Add(new OptionDefinition<TSettings>
        {
            Name = name,
            ConfigPath = path,
            ValueName = valueName,
            Accepted = accepted,
            DefaultText = defaultText,
            Help = help,
            Group = _group,
            Apply = apply,
        });
        return this;
    }
}
