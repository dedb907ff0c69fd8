namespace ParamServer.Bench;

/// <summary>
/// One benchmark figure. Implementations are discovered by reflection and run by name:
/// <c>dotnet run -c Release --project bench/ParamServer.Bench -- NAME [--quick]</c>.
/// </summary>
public interface IBenchmark
{
    /// <summary>Command-line name, such as "optimizer" or "transport".</summary>
    string Name { get; }

    /// <summary>One line shown by the list command.</summary>
    string Description { get; }

    /// <summary>Measures the figure, including its baseline in the same process, and returns the rows.</summary>
    Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken);
}

/// <summary>Settings common to every benchmark.</summary>
/// <param name="Quick">Smaller sizes and fewer repetitions, for a smoke run.</param>
/// <param name="OutputDirectory">Folder that receives NAME.json.</param>
public sealed record BenchmarkOptions(bool Quick, string OutputDirectory);

/// <summary>
/// Result rows of one figure. Each row is a measured value with its unit, the baseline measured in the same
/// run, and their ratio.
/// </summary>
public sealed record BenchmarkReport(string Name, string Baseline, IReadOnlyList<BenchmarkRow> Rows, IReadOnlyList<string> Notes);

/// <param name="Case">What was measured, such as "adam, 50M elements, 2 threads".</param>
/// <param name="Value">The measured rate or time.</param>
/// <param name="Unit">Unit of <paramref name="Value"/> and <paramref name="BaselineValue"/>.</param>
/// <param name="BaselineValue">The baseline measured in the same run, in the same unit.</param>
/// <param name="Ratio">Value over baseline; for times (lower is better) baseline over value, so above 1 is faster.</param>
public sealed record BenchmarkRow(string Case, double Value, string Unit, double BaselineValue, double Ratio);
