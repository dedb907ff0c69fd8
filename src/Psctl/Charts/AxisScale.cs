namespace ParamServer.Psctl.Charts;

/// <summary>A linear axis from <see cref="Min"/> to <see cref="Max"/> with ticks every <see cref="TickStep"/>.</summary>
public sealed record AxisScale(double Min, double Max, double TickStep)
{
    /// <summary>
    /// Chooses a range that covers [low, high] with about <paramref name="targetTicks"/> ticks at 1, 2 or 5 times a
    /// power of ten, the boundaries rounded out to whole ticks.
    /// </summary>
    public static AxisScale Nice(double low, double high, int targetTicks = 5)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            return new AxisScale(0, 1, 0.2);
        }

        if (high <= low)
        {
            high = low + (low == 0 ? 1 : Math.Abs(low) * 0.1);
        }

        double rough = (high - low) / Math.Max(1, targetTicks);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        // Round the rough step to the nearest of 1, 2, 5 and 10 times the magnitude (Heckbert's nice numbers).
        double step = fraction switch
        {
            < 1.5 => 1,
            < 3 => 2,
            < 7 => 5,
            _ => 10,
        } * magnitude;
        double min = Math.Floor(low / step + 1e-9) * step;
        double max = Math.Ceiling(high / step - 1e-9) * step;
        return new AxisScale(min, max, step);
    }

    public IEnumerable<double> Ticks()
    {
        int count = (int)Math.Round((Max - Min) / TickStep);
        for (int i = 0; i <= count; i++)
        {
            yield return Min + i * TickStep;
        }
    }

    /// <summary>Maps <paramref name="value"/> to a pixel between <paramref name="from"/> (at Min) and <paramref name="to"/>.</summary>
    public int ToPixel(double value, int from, int to) =>
        (int)Math.Round(from + (value - Min) / (Max - Min) * (to - from));

    /// <summary>Formats a tick value with no more decimals than the tick step needs.</summary>
    public string Format(double value)
    {
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(TickStep) + 1e-9));
        return value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }
}
