namespace ParamServer.Bench;

/// <summary>Small helpers the transport, distribution, scale and allocation figures share.</summary>
internal static class BenchStatistics
{
    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// The 1, 5 and 15 minute load averages from /proc/loadavg (Linux), such as "3.10 2.95 2.40"; "unknown" elsewhere.
    /// Other processes change every figure, so each report records how busy the machine was.
    /// </summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }

    /// <summary>Formats a byte count with a binary or decimal unit, as the figures name their sizes.</summary>
    public static string SizeName(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1_000_000 when bytes % 1_000_000 == 0 => $"{bytes / 1_000_000} MB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };
}
