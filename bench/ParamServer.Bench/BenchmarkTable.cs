using System.Globalization;

namespace ParamServer.Bench;

/// <summary>Prints a report as an aligned text table.</summary>
public static class BenchmarkTable
{
    public static void Print(BenchmarkReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== {report.Name} (baseline: {report.Baseline})");
        int caseWidth = Math.Max(4, report.Rows.Select(r => r.Case.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"case".PadRight(caseWidth)}  {"value",12}  {"baseline",12}  {"unit",-10}  {"ratio",7}");
        foreach (BenchmarkRow row in report.Rows)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{row.Case.PadRight(caseWidth)}  {row.Value,12:G5}  {row.BaselineValue,12:G5}  {row.Unit,-10}  {row.Ratio,7:F3}"));
        }

        foreach (string note in report.Notes)
        {
            output.WriteLine($"note: {note}");
        }
    }
}
