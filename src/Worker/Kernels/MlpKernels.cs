using ILGPU;
using ILGPU.Runtime;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Launchers of the elementwise and loss kernels on one device, with the work per thread chosen by the device's
/// <see cref="KernelPath"/>. Every launcher checks view lengths before queuing work, and all work goes to the
/// accelerator's default stream, so launches run in order.
/// </summary>
public sealed class MlpKernels
{
    private readonly ComputeDevice _device;
    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, int, int, int>
        _biasActivation;

    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        int, int, int, int> _biasGradient;

    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>,
        ArrayView<float>, ArrayView<int>, int, int, int, float, int> _softmaxCrossEntropy;

    private readonly Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>,
        ArrayView<int>, int, int> _sumLossAndCorrect;

    /// <summary>Compiles the kernels for <paramref name="device"/>.</summary>
    public MlpKernels(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        Accelerator accelerator = device.Accelerator;
        _biasActivation = accelerator.LoadAutoGroupedKernel<
            Index1D, ArrayView<float>, ArrayView<float>, int, int, int, int>(MlpKernelSource.BiasActivation);
        _biasGradient = accelerator.LoadAutoGroupedKernel<
            Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(
            MlpKernelSource.BiasGradient);
        _softmaxCrossEntropy = accelerator.LoadAutoGroupedKernel<
            Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<int>,
            int, int, int, float, int>(MlpKernelSource.SoftmaxCrossEntropy);
        _sumLossAndCorrect = accelerator.LoadAutoGroupedKernel<
            Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, int, int>(
            MlpKernelSource.SumLossAndCorrect);
    }

    /// <summary>Adds the bias to each row of the [rows, columns] matrix, then applies ReLU if asked.</summary>
    public void BiasActivation(ArrayView<float> values, ArrayView<float> bias, int rows, int columns, bool relu)
    {
        int count = checked(rows * columns);
        RequireLength(values, count, nameof(values));
        RequireLength(bias, columns, nameof(bias));
        if (count == 0)
        {
            return;
        }

        WorkSplit split = _device.Split(count);
        _biasActivation(
            _device.Stream, split.Threads, values, bias, count, columns, split.ItemsPerThread, relu ? 1 : 0);
    }

    /// <summary>
    /// Sums the [rows, columns] gradient over rows into <paramref name="biasGradient"/>; with
    /// <paramref name="reluMask"/> it first zeroes the gradient in place where <paramref name="activations"/>
    /// is not positive (the ReLU derivative).
    /// </summary>
    public void BiasGradient(
        ArrayView<float> gradient,
        ArrayView<float> activations,
        ArrayView<float> biasGradient,
        int rows,
        int columns,
        bool reluMask)
    {
        int count = checked(rows * columns);
        RequireLength(gradient, count, nameof(gradient));
        RequireLength(biasGradient, columns, nameof(biasGradient));
        if (reluMask)
        {
            RequireLength(activations, count, nameof(activations));
        }
        else
        {
            activations = gradient;
        }

        WorkSplit split = _device.Split(columns);
        _biasGradient(
            _device.Stream,
            split.Threads,
            gradient,
            activations,
            biasGradient,
            rows,
            columns,
            split.ItemsPerThread,
            reluMask ? 1 : 0);
    }

    /// <summary>
    /// Writes each row's softmax cross-entropy and correctness and, when <paramref name="writeGradient"/> is set,
    /// the gradient (softmax - one_hot) * <paramref name="gradientScale"/>. Labels must lie in [0, classes).
    /// </summary>
    public void SoftmaxCrossEntropy(
        ArrayView<float> logits,
        ArrayView<int> labels,
        ArrayView<float> gradient,
        ArrayView<float> rowLoss,
        ArrayView<int> rowCorrect,
        int rows,
        int classes,
        float gradientScale,
        bool writeGradient)
    {
        int count = checked(rows * classes);
        RequireLength(logits, count, nameof(logits));
        RequireLength(labels, rows, nameof(labels));
        RequireLength(rowLoss, rows, nameof(rowLoss));
        RequireLength(rowCorrect, rows, nameof(rowCorrect));
        if (writeGradient)
        {
            RequireLength(gradient, count, nameof(gradient));
        }
        else
        {
            gradient = logits;
        }

        WorkSplit split = _device.Split(rows);
        _softmaxCrossEntropy(
            _device.Stream,
            split.Threads,
            logits,
            labels,
            gradient,
            rowLoss,
            rowCorrect,
            rows,
            classes,
            split.ItemsPerThread,
            gradientScale,
            writeGradient ? 1 : 0);
    }

    /// <summary>Zeroes the totals, then adds the sums of the first <paramref name="rows"/> row values to them.</summary>
    public void SumLossAndCorrect(
        ArrayView<float> rowLoss,
        ArrayView<int> rowCorrect,
        ArrayView<float> totalLoss,
        ArrayView<int> totalCorrect,
        int rows)
    {
        RequireLength(rowLoss, rows, nameof(rowLoss));
        RequireLength(rowCorrect, rows, nameof(rowCorrect));
        RequireLength(totalLoss, 1, nameof(totalLoss));
        RequireLength(totalCorrect, 1, nameof(totalCorrect));
        totalLoss.SubView(0, 1).MemSetToZero(_device.Stream);
        totalCorrect.SubView(0, 1).MemSetToZero(_device.Stream);
        WorkSplit split = _device.Split(rows);
        _sumLossAndCorrect(
            _device.Stream, split.Threads, rowLoss, rowCorrect, totalLoss, totalCorrect, rows, split.ItemsPerThread);
    }

    private static void RequireLength<T>(ArrayView<T> view, long minimum, string name)
        where T : unmanaged
    {
        if (view.Length < minimum)
        {
            throw new ArgumentException($"{name} has {view.Length} elements; expected at least {minimum}.", name);
        }
    }
}
