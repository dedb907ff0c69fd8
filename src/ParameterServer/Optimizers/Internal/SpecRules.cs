using System.Globalization;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace ParamServer.Server.Optimizers.Internal;

/// <summary>
/// Range checks shared by the optimizer and schedule validators. Each appends a message of the form
/// "PREFIXfield is VALUE; expected RANGE." to the list when the value is out of range.
/// </summary>
internal sealed class SpecRules(string prefix, List<string> errors)
{
    public string Prefix { get; } = prefix;

    public List<string> Errors { get; } = errors;

    /// <summary>Formats a double so that it parses back to the same value.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Returns the enum value's name as the .proto file spells it, or its number when it is unknown.</summary>
    public static string FormatEnum<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            return Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        FieldInfo? field = typeof(TEnum).GetField(value.ToString());
        return field?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? value.ToString();
    }

    /// <summary>Returns the names of every defined value except the zero "unspecified" one.</summary>
    public static string KnownValues<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Where(v => Convert.ToInt32(v, CultureInfo.InvariantCulture) != 0)
            .Select(FormatEnum));

    public void Add(string message) => Errors.Add(message);

    public void HalfOpenUnit(string field, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            Add($"{Prefix}{field} is {Format(value)}; expected a value in [0, 1).");
        }
    }

    public void OpenUnit(string field, double value)
    {
        if (!(value > 0 && value < 1))
        {
            Add($"{Prefix}{field} is {Format(value)}; expected a value in (0, 1).");
        }
    }

    public void ClosedUnit(string field, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            Add($"{Prefix}{field} is {Format(value)}; expected a value in [0, 1].");
        }
    }

    public void Positive(string field, double value)
    {
        if (!(double.IsFinite(value) && value > 0))
        {
            Add($"{Prefix}{field} is {Format(value)}; expected a finite value > 0.");
        }
    }

    public void NonNegative(string field, double value, string? note = null)
    {
        if (!(double.IsFinite(value) && value >= 0))
        {
            Add($"{Prefix}{field} is {Format(value)}; expected a finite value >= 0{note}.");
        }
    }

    public void NonNegative(string field, long value)
    {
        if (value < 0)
        {
            Add($"{Prefix}{field} is {value}; expected a value >= 0.");
        }
    }

    public void Positive(string field, long value)
    {
        if (value < 1)
        {
            Add($"{Prefix}{field} is {value}; expected a value >= 1.");
        }
    }
}
