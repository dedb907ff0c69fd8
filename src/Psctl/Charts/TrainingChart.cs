namespace ParamServer.Psctl.Charts;

/// <summary>
/// Draws training loss (left axis) and test accuracy in percent (right axis) against the shard step, with
/// axes, grid lines, tick labels, a legend and a title.
/// </summary>
public static class TrainingChart
{
    public static Rgba LossColor { get; } = new(31, 119, 180);

    public static Rgba AccuracyColor { get; } = new(230, 110, 20);

    private static readonly Rgba Axis = new(40, 40, 40);
    private static readonly Rgba Grid = new(225, 225, 225);

    private const int Scale = 2;
    private const int MarginLeft = 90;
    private const int MarginRight = 90;
    private const int MarginTop = 70;
    private const int MarginBottom = 70;

    /// <summary>Renders the chart; either series may be empty, and accuracy values are fractions in [0, 1].</summary>
    public static Raster Render(
        IReadOnlyList<ChartPoint> loss,
        IReadOnlyList<ChartPoint> accuracy,
        string title,
        int width = 1000,
        int height = 560)
    {
        var raster = new Raster(width, height);
        raster.Fill(Rgba.White);
        int left = MarginLeft;
        int right = width - MarginRight;
        int top = MarginTop;
        int bottom = height - MarginBottom;

        long lastStep = Math.Max(
            loss.Count > 0 ? loss.Max(p => p.Step) : 0,
            accuracy.Count > 0 ? accuracy.Max(p => p.Step) : 0);
        AxisScale x = AxisScale.Nice(0, Math.Max(1, lastStep));
        AxisScale lossAxis = AxisScale.Nice(0, loss.Count > 0 ? loss.Max(p => p.Value) : 1);
        double lowestAccuracy = accuracy.Count > 0 ? accuracy.Min(p => p.Value) * 100 : 0;
        AxisScale accuracyAxis = AxisScale.Nice(Math.Max(0, lowestAccuracy - 1), 100);

        DrawGrid(raster, x, lossAxis, left, right, top, bottom);
        DrawSeries(raster, loss, x, lossAxis, 1, left, right, top, bottom, LossColor, markers: false);
        DrawSeries(raster, accuracy, x, accuracyAxis, 100, left, right, top, bottom, AccuracyColor, markers: true);
        DrawAxes(raster, x, lossAxis, accuracyAxis, left, right, top, bottom);

        int titleWidth = BitmapFont.MeasureWidth(title, Scale);
        BitmapFont.DrawText(raster, (width - titleWidth) / 2, 16, title, Axis, Scale);
        DrawLegend(raster, left, top - 28);
        return raster;
    }

    private static void DrawGrid(Raster raster, AxisScale x, AxisScale y, int left, int right, int top, int bottom)
    {
        foreach (double tick in x.Ticks())
        {
            int px = x.ToPixel(tick, left, right);
            raster.DrawLine(px, top, px, bottom, Grid);
        }

        foreach (double tick in y.Ticks())
        {
            int py = y.ToPixel(tick, bottom, top);
            raster.DrawLine(left, py, right, py, Grid);
        }
    }

    private static void DrawAxes(
        Raster raster,
        AxisScale x,
        AxisScale loss,
        AxisScale accuracy,
        int left,
        int right,
        int top,
        int bottom)
    {
        raster.DrawLine(left, bottom, right, bottom, Axis, 2);
        raster.DrawLine(left, top, left, bottom, LossColor, 2);
        raster.DrawLine(right, top, right, bottom, AccuracyColor, 2);
        int glyph = BitmapFont.GlyphHeight * Scale;

        foreach (double tick in x.Ticks())
        {
            int px = x.ToPixel(tick, left, right);
            raster.DrawLine(px, bottom, px, bottom + 6, Axis, 2);
            string label = x.Format(tick);
            BitmapFont.DrawText(raster, px - BitmapFont.MeasureWidth(label, Scale) / 2, bottom + 12, label, Axis, Scale);
        }

        foreach (double tick in loss.Ticks())
        {
            int py = loss.ToPixel(tick, bottom, top);
            raster.DrawLine(left - 6, py, left, py, LossColor, 2);
            string label = loss.Format(tick);
            BitmapFont.DrawText(raster, left - 10 - BitmapFont.MeasureWidth(label, Scale), py - glyph / 2, label,
                LossColor, Scale);
        }

        foreach (double tick in accuracy.Ticks())
        {
            int py = accuracy.ToPixel(tick, bottom, top);
            raster.DrawLine(right, py, right + 6, py, AccuracyColor, 2);
            BitmapFont.DrawText(raster, right + 10, py - glyph / 2, accuracy.Format(tick), AccuracyColor, Scale);
        }

        const string xLabel = "STEP";
        BitmapFont.DrawText(raster, (left + right - BitmapFont.MeasureWidth(xLabel, Scale)) / 2, bottom + 16 + glyph,
            xLabel, Axis, Scale);
        const string lossLabel = "TRAINING LOSS";
        BitmapFont.DrawTextVertical(raster, 12, (top + bottom - BitmapFont.MeasureWidth(lossLabel, Scale)) / 2,
            lossLabel, LossColor, Scale);
        const string accuracyLabel = "TEST ACCURACY (%)";
        BitmapFont.DrawTextVertical(raster, raster.Width - 12 - glyph,
            (top + bottom - BitmapFont.MeasureWidth(accuracyLabel, Scale)) / 2, accuracyLabel, AccuracyColor, Scale);
    }

    private static void DrawSeries(
        Raster raster,
        IReadOnlyList<ChartPoint> points,
        AxisScale x,
        AxisScale y,
        double factor,
        int left,
        int right,
        int top,
        int bottom,
        Rgba color,
        bool markers)
    {
        int? previousX = null;
        int previousY = 0;
        foreach (ChartPoint point in points.OrderBy(p => p.Step))
        {
            double value = Math.Clamp(point.Value * factor, y.Min, y.Max);
            int px = x.ToPixel(point.Step, left, right);
            int py = y.ToPixel(value, bottom, top);
            if (previousX is int fromX)
            {
                raster.DrawLine(fromX, previousY, px, py, color, 2);
            }

            if (markers)
            {
                raster.FillRectangle(px - 3, py - 3, 7, 7, color);
            }

            previousX = px;
            previousY = py;
        }
    }

    private static void DrawLegend(Raster raster, int x, int y)
    {
        const string lossText = "TRAINING LOSS";
        const string accuracyText = "TEST ACCURACY";
        int glyph = BitmapFont.GlyphHeight * Scale;
        raster.FillRectangle(x, y + 2, 24, glyph - 4, LossColor);
        BitmapFont.DrawText(raster, x + 32, y, lossText, Axis, Scale);
        int second = x + 32 + BitmapFont.MeasureWidth(lossText, Scale) + 40;
        raster.FillRectangle(second, y + 2, 24, glyph - 4, AccuracyColor);
        BitmapFont.DrawText(raster, second + 32, y, accuracyText, Axis, Scale);
    }
}
