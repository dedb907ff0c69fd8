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

        for (int i = 0; i < warmup; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            engine.ComputeGradient(inputs, labels, BatchSize, gradient);
            reference.Step(parameters, inputs, labels, BatchSize, referenceGradient);
        }

        // Interleave rounds of both so that load from other processes hits them alike.
        double engineMs = 0;
        double referenceMs = 0;
        const int rounds = 4;
        for (int round = 0; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < steps / rounds; i++)
            {
                engine.SetWeights(parameters);
                engine.ComputeGradient(inputs, labels, BatchSize, gradient);
            }

            engineMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < steps / rounds; i++)
            {
                reference.Step(parameters, inputs, labels, BatchSize, referenceGradient);
            }

            referenceMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cancellationToken.ThrowIfCancellationRequested();
        }

        int measured = steps / rounds * rounds;
        engineMs /= measured;
        referenceMs /= measured;
        double maxDifference = MaxRelativeDifference(gradient, referenceGradient);

        var timings = new KernelTimings();
        engine.Timings = timings;
        for (int i = 0; i < measured; i++)
        {
            engine.ComputeGradient(inputs, labels, BatchSize, gradient);
        }

        engine.Timings = null;
        var rows = new List<BenchmarkRow>
        {
            new($"step on {engine.DeviceName}, weights in + gradient out", engineMs, "ms/step", referenceMs,
                referenceMs / engineMs),
        };
        double phaseTotal = 0;
        foreach (KernelPhase phase in Enum.GetValues<KernelPhase>())
        {
            double ms = timings.MillisecondsPerStep(phase);
            phaseTotal += ms;
            rows.Add(new BenchmarkRow(
                $"  {phase} ({timings.CallsPerStep(phase):0.#} calls)", ms, "ms/step", referenceMs, referenceMs / ms));
        }

        rows.Add(new BenchmarkRow("  sum of phases (waits after each)", phaseTotal, "ms/step", referenceMs,
            referenceMs / phaseTotal));
        var notes = new List<string>
        {
            $"layers {string.Join('-', sizes)}, batch {BatchSize}, {measured} steps after {warmup} warm-up steps",
            "the step row includes SetWeights (weights in) and the gradient copy out; phase rows wait for the " +
            "device after each phase, so their sum exceeds the step row",
            $"max relative difference of the gradient against the reference: {maxDifference:E2}",
            $"accelerator preference '{accelerator}' (set PARAMSERVER_BENCH_ACCELERATOR to auto|cuda|opencl|cpu)",
        };
        return Task.FromResult(new BenchmarkReport(
            Name, "single-threaded C# step with TensorPrimitives, same process", rows, notes));
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
