using System.Globalization;

namespace ParamServer.Psctl.Status;

/// <summary>Human-readable formatting of byte counts, durations, rates and fractions for tables and progress.</summary>
public static class Units
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Formats bytes with binary prefixes: 1536 is "1.5 KiB", 512 is "512 B".</summary>
    public static string Bytes(double bytes)
    {
        int unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < ByteUnits.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {ByteUnits[unit]}");
    }

    /// <summary>Formats seconds as "0.4s", "12s", "3m05s" or "2h07m".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return "-";
        }

        if (seconds < 10)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s");
        }

        if (seconds < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds:0}s");
        }

        long whole = (long)seconds;
        return whole < 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{whole / 60}m{whole % 60:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{whole / 3600}h{whole / 60 % 60:00}m");
    }

    /// <summary>Formats a fraction in [0, 1] as a percentage with two decimals: 0.9785 is "97.85%".</summary>
    public static string Percent(double fraction) =>
        string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.00}%");

    /// <summary>
    /// Formats a learning rate or loss with up to four decimals: 0.001 is "0.001", 1.5e-5 is "1.5e-05", and NaN
    /// (no value reported yet) is "-".
    /// </summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "-";
        }

        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        return value != 0 && Math.Abs(value) < 1e-3
            ? value.ToString("0.###e+00", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0}");
}
