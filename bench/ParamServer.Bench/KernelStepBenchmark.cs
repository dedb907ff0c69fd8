using System.Diagnostics;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Model;

namespace ParamServer.Bench;

/// <summary>
/// Forward and backward time per step of the MLP on the chosen accelerator, with the split per kernel phase,
/// against a single-threaded <see cref="KernelReferenceStep"/> of the same step measured in the same run.
/// </summary>
public sealed class KernelStepBenchmark : IBenchmark
{
    private const int BatchSize = 128;

    public string Name => "kernels";

    public string Description => "MLP 784-256-128-10 forward+backward per step at batch 128, per-kernel split";

    public Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        int steps = options.Quick ? 40 : 400;
        int warmup = options.Quick ? 10 : 50;
        IReadOnlyList<int> sizes = MlpModel.DefaultLayerSizes;
        ModelSpec spec = MlpModel.CreateSpec(sizes, seed: 7);
        ModelLayout layout = ModelLayout.Create(spec);
        var parameters = new float[layout.TotalElements];
        TensorInitializer.FillRange(layout, 0, parameters);
        var random = new Random(11);
        var inputs = new float[BatchSize * sizes[0]];
        var labels = new int[BatchSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(sizes[^1]);
        }

        var gradient = new float[parameters.Length];
        var referenceGradient = new float[parameters.Length];
        string accelerator = Environment.GetEnvironmentVariable("PARAMSERVER_BENCH_ACCELERATOR") ?? "auto";
        using var engine = new MlpGradientEngine(
            AcceleratorSelector.Create(AcceleratorPreferences.Parse(accelerator)), sizes, ownsDevice: true);
        engine.SetWeights(parameters);
        var reference = new KernelReferenceStep(sizes, BatchSize);

        string loadBefore = LoadAverage();
        for (int i = 0; i < warmup; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            engine.ComputeGradient(inputs, labels, BatchSize, gradient);
            reference.Step(parameters, inputs, labels, BatchSize, referenceGradient);
        }

        // Rounds interleave the engine, the reference and the recorded engine, so load from other processes hits
        // all three alike. Each figure is the median of its round means.
        int rounds = options.Quick ? 4 : 10;
        int stepsPerRound = Math.Max(1, steps / rounds);
        var engineRounds = new double[rounds];
        var referenceRounds = new double[rounds];
        var roundTimings = new KernelTimings[rounds];
        for (int round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < stepsPerRound; i++)
            {
                engine.SetWeights(parameters);
                engine.ComputeGradient(inputs, labels, BatchSize, gradient);
            }

            engineRounds[round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / stepsPerRound;
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < stepsPerRound; i++)
            {
                reference.Step(parameters, inputs, labels, BatchSize, referenceGradient);
            }

            referenceRounds[round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / stepsPerRound;
            roundTimings[round] = new KernelTimings();
            engine.Timings = roundTimings[round];
            for (int i = 0; i < stepsPerRound; i++)
            {
                engine.ComputeGradient(inputs, labels, BatchSize, gradient);
            }

            engine.Timings = null;
        }

        double engineMs = Median(engineRounds);
        double referenceMs = Median(referenceRounds);
        double maxDifference = MaxRelativeDifference(gradient, referenceGradient);

        var rows = new List<BenchmarkRow>
        {
            new($"step on {engine.DeviceName}, weights in + gradient out", engineMs, "ms/step", referenceMs,
                referenceMs / engineMs),
        };
        double phaseTotal = 0;
        foreach (KernelPhase phase in Enum.GetValues<KernelPhase>())
        {
            double ms = Median(roundTimings.Select(t => t.MillisecondsPerStep(phase)).ToArray());
            phaseTotal += ms;
            rows.Add(new BenchmarkRow(
                $"  {phase} ({roundTimings[0].CallsPerStep(phase):0.#} calls)", ms, "ms/step", referenceMs,
                referenceMs / ms));
        }

        rows.Add(new BenchmarkRow("  sum of phases (waits after each)", phaseTotal, "ms/step", referenceMs,
            referenceMs / phaseTotal));
        var notes = new List<string>
        {
            $"layers {string.Join('-', sizes)}, batch {BatchSize}, {rounds} rounds of {stepsPerRound} steps after " +
            $"{warmup} warm-up steps; each figure is the median of its round means",
            "the step row includes SetWeights (weights in) and the gradient copy out; phase rows wait for the " +
            "device after each phase, so their sum exceeds the step row",
            $"max relative difference of the gradient against the reference: {maxDifference:E2}",
            $"accelerator preference '{accelerator}' (set PARAMSERVER_BENCH_ACCELERATOR to auto|cuda|opencl|cpu)",
            $"load average (1, 5, 15 min) before: {loadBefore}; after: {LoadAverage()}",
        };
        return Task.FromResult(new BenchmarkReport(
            Name, "single-threaded C# step with TensorPrimitives, same process", rows, notes));
    }

    // Other processes on the machine change both figures; /proc/loadavg records how busy it was (Linux only).
    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double MaxRelativeDifference(float[] actual, float[] expected)
    {
        double scale = expected.Max(v => Math.Abs(v));
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]) / scale);
        }

        return max;
    }
}
