using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParamServer.Protocol.V1;
using ParamServer.Server.Optimizers;
using ParamServer.Server.Optimizers.Internal;

namespace ParamServer.Bench;

/// <summary>
/// Figure 1: one optimizer update of a shard slice, in elements per second, against the memory-bandwidth bound
/// measured in the same run. The bound is the fastest of a plain copy (8 bytes per element moved), a triad
/// a = b + s * c (12 bytes) and the same triad in place, a = a + s * b (12 bytes), divided by the bytes the
/// optimizer must read and write per element. The in-place triad is there because the optimizers update in place:
/// a store to a line that was just read costs no extra read, while copy and triad stores to a fresh destination
/// make the processor read each line first. The baselines run over arrays of the same length, on the same number
/// of threads, with the same chunking as the optimizers.
/// </summary>
public sealed class OptimizerApplyBenchmark : IBenchmark
{
    private const int FullLength = 50_000_000;
    private const int QuickLength = 4_000_000;

    /// <summary>Slice length of the in-cache runs: 128 KiB per array, so Adam's four arrays fit a 1 MiB L2.</summary>
    private const int InCacheLength = 32 * 1024;

    public string Name => "optimizer";

    public string Description => "optimizer apply on one shard, elements/s against the memory-bandwidth bound";

    public Task<BenchmarkReport> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        int length = options.Quick ? QuickLength : FullLength;
        int repetitions = options.Quick ? 3 : 11;
        int[] threadCounts = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
        float[] weights = new float[length];
        float[] gradient = new float[length];
        float[] scratch = new float[length];
        for (int i = 0; i < length; i++)
        {
            weights[i] = ((i % 1999) - 999) / 1000f;
            gradient[i] = ((i * 7919 % 2001) - 1000) / 1e5f;
        }

        var rows = new List<BenchmarkRow>();
        var ceilingRows = new List<BenchmarkRow>();
        var wallRows = new List<BenchmarkRow>();
        long[] maxAllocated = new long[2];
        foreach (int threads in threadCounts)
        {
            ChunkPlan plan = ChunkPlan.For(length, threads);
            var execution = new OptimizerExecutionOptions { MaxDegreeOfParallelism = threads };
            string suffix = $"{length / 1_000_000}M, {threads} thread{(threads == 1 ? string.Empty : "s")}";
            double bestCopy = 0;
            double bestTriad = 0;
            double bestInPlace = 0;
            var caseRows = new List<BenchmarkRow>();
            foreach ((string name, OptimizerSpec spec, int bytesPerElement) in Cases())
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Collect the previous optimizer's state now, so no collection or decommit of it overlaps a timing.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                ElementwiseOptimizer optimizer = OptimizerFactory.Create(spec, length, execution);

                // The baselines run interleaved with the update, so a burst of load from other processes slows
                // both sides of the ratio rather than one.
                (double[] wall, double[] running) = BestInterleaved(
                    repetitions,
                    threads,
                    () => Copy(gradient, scratch, plan, threads),
                    () => Triad(scratch, weights, gradient, plan, threads),
                    () => Triad(scratch, scratch, gradient, plan, threads),
                    () => optimizer.Apply(weights, gradient, 1e-4));
                bestCopy = Math.Max(bestCopy, 8.0 * length / running[0]);
                bestTriad = Math.Max(bestTriad, 12.0 * length / running[1]);
                bestInPlace = Math.Max(bestInPlace, 12.0 * length / running[2]);
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                optimizer.Apply(weights, gradient, 1e-4);
                maxAllocated[threads == 1 ? 0 : 1] = Math.Max(
                    maxAllocated[threads == 1 ? 0 : 1],
                    GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
                string label = $"{name} ({bytesPerElement} B/elem), {suffix}";
                double rate = length / running[3];
                double bound = Bound(running, length, bytesPerElement);
                caseRows.Add(new BenchmarkRow(label, rate / 1e6, "Melem/s", bound / 1e6, rate / bound));
                double wallRate = length / wall[3];
                double wallBound = Bound(wall, length, bytesPerElement);
                wallRows.Add(new BenchmarkRow(
                    $"{label}, wall clock", wallRate / 1e6, "Melem/s", wallBound / 1e6, wallRate / wallBound));
                if (threads == 1)
                {
                    double ceiling = MeasureInCache(spec, repetitions);
                    ceilingRows.Add(new BenchmarkRow(
                        $"{name} in cache ({InCacheLength / 1024}K elements) vs {suffix}",
                        ceiling / 1e6,
                        "Melem/s",
                        rate / 1e6,
                        ceiling / rate));
                }
            }

            double bandwidth = Math.Max(Math.Max(bestCopy, bestTriad), bestInPlace);
            rows.Add(new BenchmarkRow($"copy, {suffix}", bestCopy / 1e9, "GB/s", bandwidth / 1e9, bestCopy / bandwidth));
            rows.Add(new BenchmarkRow($"triad, {suffix}", bestTriad / 1e9, "GB/s", bandwidth / 1e9, bestTriad / bandwidth));
            rows.Add(new BenchmarkRow(
                $"triad in place, {suffix}", bestInPlace / 1e9, "GB/s", bandwidth / 1e9, bestInPlace / bandwidth));
            rows.AddRange(caseRows);
        }

        rows.AddRange(ceilingRows);
        rows.AddRange(wallRows);
        string[] notes =
        [
            $"managed bytes allocated by one update, at most over the optimizers: {maxAllocated[0]} on one thread, "
            + $"{maxAllocated[1]} on several (Parallel.For's delegate and bookkeeping).",
            string.Create(
                CultureInfo.InvariantCulture,
                $"{length:N0} float32 elements per array; best of {repetitions} interleaved rounds after one warm-up "
                + $"run; {Vector<float>.Count * 32}-bit vectors."),
            "times are running time: process CPU time divided by the thread count (or wall-clock time if less), "
            + "so the time a thread spent preempted by other processes does not count; the rows marked wall clock "
            + "repeat the optimizer rows with wall-clock time on both sides.",
            "baseline of each optimizer row: the fastest of copy, triad and in-place triad, measured interleaved "
            + "with that optimizer, divided by the bytes per element it must move (4 per array read, 4 per array "
            + "written).",
            "in-cache rows: the same update on a slice small enough to stay in the L2 cache, one thread, against "
            + "the full-size rate; a ratio well above 1 means the full-size update waits on memory, not on arithmetic.",
            "copy and triad rows give the best over all optimizers' rounds. Bytes are counted as the program "
            + "requests them, as STREAM does; stores to a fresh destination also read each line first, so copy "
            + "and triad understate the bandwidth that in-place updates get.",
        ];
        return Task.FromResult(new BenchmarkReport(
            Name, "max(copy, triad, in-place triad) memory bandwidth, same run", rows, notes));
    }

    /// <summary>
    /// Returns the bandwidth bound in elements per second: the fastest of copy, triad and in-place triad (the first
    /// three timings) divided by the bytes the optimizer moves per element.
    /// </summary>
    private static double Bound(double[] seconds, int length, int bytesPerElement)
    {
        double bandwidth = Math.Max(Math.Max(8.0 * length / seconds[0], 12.0 * length / seconds[1]), 12.0 * length / seconds[2]);
        return bandwidth / bytesPerElement;
    }

    /// <summary>Returns the single-threaded elements per second of updates on a slice that stays in cache.</summary>
    private static double MeasureInCache(OptimizerSpec spec, int repetitions)
    {
        const int updatesPerRound = 2000;
        float[] weights = new float[InCacheLength];
        float[] gradient = new float[InCacheLength];
        Array.Fill(gradient, 1e-3f);
        ElementwiseOptimizer optimizer = OptimizerFactory.Create(spec, InCacheLength, OptimizerExecutionOptions.Serial);
        (_, double[] running) = BestInterleaved(repetitions, 1, () =>
        {
            for (int u = 0; u < updatesPerRound; u++)
            {
                optimizer.Apply(weights, gradient, 1e-4);
            }
        });
        return (double)InCacheLength * updatesPerRound / running[0];
    }

    private static IEnumerable<(string Name, OptimizerSpec Spec, int BytesPerElement)> Cases()
    {
        yield return ("sgd", new OptimizerSpec { Kind = OptimizerKind.Sgd }, 12);
        yield return ("momentum", new OptimizerSpec { Kind = OptimizerKind.Momentum }, 20);
        yield return ("nesterov", new OptimizerSpec { Kind = OptimizerKind.Momentum, Nesterov = true }, 20);
        yield return ("momentum_ema", new OptimizerSpec { Kind = OptimizerKind.MomentumEma }, 20);
        yield return ("adagrad", new OptimizerSpec { Kind = OptimizerKind.Adagrad }, 20);
        yield return ("rmsprop", new OptimizerSpec { Kind = OptimizerKind.Rmsprop }, 20);
        yield return ("rmsprop centered", new OptimizerSpec { Kind = OptimizerKind.Rmsprop, Centered = true }, 28);
        yield return ("adam", new OptimizerSpec { Kind = OptimizerKind.Adam }, 28);
        yield return ("adamw", new OptimizerSpec { Kind = OptimizerKind.Adamw, WeightDecay = 0.01 }, 28);

        // Clipping by norm reads the gradient once more before the update.
        yield return ("adam clip_norm", new OptimizerSpec { Kind = OptimizerKind.Adam, ClipNorm = 1 }, 32);
    }

    /// <summary>
    /// Runs each action once to warm up, then <paramref name="repetitions"/> rounds of all actions in turn. Returns
    /// each action's fastest time in seconds by two clocks: wall-clock time, and process CPU time divided by
    /// <paramref name="threads"/>, which leaves out the time the threads spent preempted on a shared machine.
    /// </summary>
    private static (double[] Wall, double[] Running) BestInterleaved(int repetitions, int threads, params Action[] actions)
    {
        var wall = new double[actions.Length];
        var running = new double[actions.Length];
        Array.Fill(wall, double.MaxValue);
        Array.Fill(running, double.MaxValue);
        foreach (Action action in actions)
        {
            action();
        }

        for (int r = 0; r < repetitions; r++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                double cpuStart = ProcessCpuSeconds();
                long start = Stopwatch.GetTimestamp();
                actions[a]();
                double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double cpu = ProcessCpuSeconds() - cpuStart;
                wall[a] = Math.Min(wall[a], elapsed);
                running[a] = Math.Min(running[a], Math.Min(elapsed, cpu / threads));
            }
        }

        return (wall, running);
    }

    /// <summary>Returns the CPU time of all threads of this process, from CLOCK_PROCESS_CPUTIME_ID where it exists.</summary>
    private static double ProcessCpuSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTimeClock, out Timespec now) == 0)
        {
            return now.Seconds + (now.Nanoseconds * 1e-9);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out Timespec time);

    private const int ProcessCpuTimeClock = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static void Copy(float[] source, float[] destination, ChunkPlan plan, int threads)
    {
        if (threads == 1)
        {
            source.AsSpan().CopyTo(destination);
            return;
        }

        Parallel.For(0, plan.ChunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            (int start, int length) = plan[chunk];
            source.AsSpan(start, length).CopyTo(destination.AsSpan(start, length));
        });
    }

    private static void Triad(float[] a, float[] b, float[] c, ChunkPlan plan, int threads)
    {
        if (threads == 1)
        {
            TriadRange(a, b, c, 0, a.Length);
            return;
        }

        Parallel.For(0, plan.ChunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            (int start, int length) = plan[chunk];
            TriadRange(a, b, c, start, length);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TriadRange(float[] a, float[] b, float[] c, int start, int length)
    {
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref float rc = ref MemoryMarshal.GetArrayDataReference(c);
        var scale = new Vector<float>(0.5f);
        int end = start + length;
        int i = start;
        for (; i + Vector<float>.Count <= end; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref rb, (nuint)i) + (scale * Vector.LoadUnsafe(ref rc, (nuint)i))).StoreUnsafe(ref ra, (nuint)i);
        }

        for (; i < end; i++)
        {
            a[i] = b[i] + (0.5f * c[i]);
        }
    }
}
