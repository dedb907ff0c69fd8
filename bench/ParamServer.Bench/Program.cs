using System.Reflection;
using System.Text.Json;
using ParamServer.Bench;

IBenchmark[] benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToArray();

if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
{
    Console.WriteLine("usage: ParamServer.Bench NAME|all [--quick] [--out DIR]");
    foreach (IBenchmark b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-14} {b.Description}");
    }

    return args.Length == 0 ? 1 : 0;
}

bool quick = args.Contains("--quick");
int outIndex = Array.IndexOf(args, "--out");
string outputDirectory = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine("bench", "results");
Directory.CreateDirectory(outputDirectory);

IBenchmark[] selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"Unknown benchmark '{args[0]}'; run with 'list' to see the names.");
    return 2;
}

#if DEBUG
Console.Error.WriteLine("warning: Debug build; run with -c Release for figures worth recording.");
#endif

var machine = new
{
    Cores = Environment.ProcessorCount,
    MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
    Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    Simd = System.Numerics.Vector<float>.Count * 32,
};
Console.WriteLine($"machine: {machine.Cores} cores, {machine.MemoryBytes / (1 << 30)} GiB, {machine.Os}, {machine.Runtime}, {machine.Simd}-bit vectors");

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

foreach (IBenchmark benchmark in selected)
{
    BenchmarkReport report = await benchmark.RunAsync(new BenchmarkOptions(quick, outputDirectory), cancellation.Token);
    BenchmarkTable.Print(report, Console.Out);
    string path = Path.Combine(outputDirectory, report.Name + ".json");
    await File.WriteAllTextAsync(
        path,
        JsonSerializer.Serialize(new { Machine = machine, Quick = quick, Report = report }, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
    Console.WriteLine($"wrote {path}");
}

return 0;
