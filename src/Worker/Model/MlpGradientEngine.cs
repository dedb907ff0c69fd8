using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Model;

/// <summary>
/// Gradient of the mean softmax cross-entropy of a ReLU multilayer perceptron, computed by the ILGPU kernels.
/// Parameters, activations and gradients stay on the device; a step uploads the minibatch, downloads the flat
/// gradient, and <see cref="SetWeights"/> uploads fresh weights, each once.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time.</remarks>
public sealed class MlpGradientEngine : IGradientEngine
{
    /// <summary>Rows per forward pass of <see cref="Evaluate"/>.</summary>
    public const int EvaluationChunk = 1024;

    private readonly ComputeDevice _device;
    private readonly bool _ownsDevice;
    private readonly MlpParameterLayout _layout;
    private readonly MlpKernels _kernels;
    private readonly IDenseProducts _products;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _gradient;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _totalLoss;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _totalCorrect;
    private readonly HostTransfer<float> _floatTransfer;
    private readonly HostTransfer<int> _intTransfer;
    private readonly float[] _lossHost = new float[1];
    private readonly int[] _correctHost = new int[1];
    private BatchBuffers? _batch;
    private long _phaseStart;
    private bool _disposed;

    /// <summary>Creates an engine for <paramref name="layerSizes"/> on <paramref name="device"/>.</summary>
    /// <param name="device">Device to run on.</param>
    /// <param name="layerSizes">Inputs, hidden sizes and classes, such as 784, 256, 128, 10.</param>
    /// <param name="logger">Receives the start-up message; null logs nothing.</param>
    /// <param name="ownsDevice">Whether <see cref="Dispose"/> also disposes <paramref name="device"/>.</param>
    public MlpGradientEngine(
        ComputeDevice device,
        IReadOnlyList<int> layerSizes,
        ILogger? logger = null,
        bool ownsDevice = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        _layout = new MlpParameterLayout(layerSizes);
        _device = device;
        _ownsDevice = ownsDevice;
        _kernels = new MlpKernels(device);
        _products = device.CreateDenseProducts();
        Accelerator accelerator = device.Accelerator;
        _parameters = accelerator.Allocate1D<float>(_layout.ParameterCount);
        _gradient = accelerator.Allocate1D<float>(_layout.ParameterCount);
        _parameters.MemSetToZero();
        _totalLoss = accelerator.Allocate1D<float>(1);
        _totalCorrect = accelerator.Allocate1D<int>(1);
        _floatTransfer = new HostTransfer<float>(device);
        _intTransfer = new HostTransfer<int>(device);
        KernelsLog.EngineCreated(
            logger ?? NullLogger.Instance, string.Join('-', _layout.LayerSizes), ParameterCount, device.Name);
    }

    public int ParameterCount => _layout.ParameterCount;

    public string DeviceName => _device.Name;

    /// <summary>Layer sizes, inputs first.</summary>
    public IReadOnlyList<int> LayerSizes => _layout.LayerSizes;

    /// <summary>
    /// When set, every step waits for the device after each phase and adds the phase's time here. Leave null
    /// for training: the waits remove overlap between phases.
    /// </summary>
    public KernelTimings? Timings { get; set; }

    /// <summary>
    /// Creates an engine for <paramref name="model"/> (a spec from <see cref="ParamServer.Model.MlpModel"/>) on
    /// the accelerator chosen by <paramref name="preference"/>; the engine owns that device.
    /// </summary>
    public static MlpGradientEngine Create(ModelSpec model, AcceleratorPreference preference, ILogger? logger = null)
    {
        MlpParameterLayout layout = MlpParameterLayout.FromModel(model);
        ComputeDevice device = AcceleratorSelector.Create(preference, logger);
        try
        {
            return new MlpGradientEngine(device, layout.LayerSizes, logger, ownsDevice: true);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    public void SetWeights(ReadOnlySpan<float> weights)
    {
        ThrowIfDisposed();
        if (weights.Length != ParameterCount)
        {
            throw new ArgumentException(
                $"weights has {weights.Length} values; expected {ParameterCount} for layers {string.Join('-', LayerSizes)}.",
                nameof(weights));
        }

        _floatTransfer.Upload(weights, _parameters.View);
    }

    public BatchStats ComputeGradient(
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<int> labels,
        int batchSize,
        Span<float> gradient)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (gradient.Length < ParameterCount)
        {
            throw new ArgumentException(
                $"gradient has {gradient.Length} values; expected {ParameterCount}.", nameof(gradient));
        }

        ValidateBatch(inputs, labels, batchSize);
        BatchBuffers batch = EnsureCapacity(batchSize);
        StartPhases();
        Upload(batch, inputs, labels, batchSize);
        Mark(KernelPhase.CopyIn);
        Forward(batch, batchSize);
        int last = _layout.Layers;
        _kernels.SoftmaxCrossEntropy(
            batch.Activations[last].View,
            batch.Labels.View,
            batch.Deltas[last].View,
            batch.RowLoss.View,
            batch.RowCorrect.View,
            batchSize,
            _layout.Classes,
            1f / batchSize,
            writeGradient: true);
        Mark(KernelPhase.SoftmaxCrossEntropy);
        _kernels.SumLossAndCorrect(
            batch.RowLoss.View, batch.RowCorrect.View, _totalLoss.View, _totalCorrect.View, batchSize);
        Mark(KernelPhase.LossReduction);
        Backward(batch, batchSize);
        _floatTransfer.Download(_gradient.View, gradient[..ParameterCount]);
        BatchStats stats = DownloadStats(batchSize);
        Mark(KernelPhase.CopyOut);
        Timings?.CompleteStep();
        return stats;
    }

    public BatchStats Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int count)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ValidateBatch(inputs, labels, count);
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < count; start += EvaluationChunk)
        {
            int rows = Math.Min(EvaluationChunk, count - start);
            BatchBuffers batch = EnsureCapacity(rows);
            Upload(batch, inputs.Slice(start * _layout.Inputs, rows * _layout.Inputs), labels.Slice(start, rows), rows);
            Forward(batch, rows);
            int last = _layout.Layers;
            _kernels.SoftmaxCrossEntropy(
                batch.Activations[last].View,
                batch.Labels.View,
                default,
                batch.RowLoss.View,
                batch.RowCorrect.View,
                rows,
                _layout.Classes,
                1f,
                writeGradient: false);
            _kernels.SumLossAndCorrect(
                batch.RowLoss.View, batch.RowCorrect.View, _totalLoss.View, _totalCorrect.View, rows);
            BatchStats chunk = DownloadStats(rows);
            lossSum += chunk.Loss * rows;
            correct += chunk.Correct;
        }

        return new BatchStats(count == 0 ? 0 : lossSum / count, correct, count);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _batch?.Dispose();
        _floatTransfer.Dispose();
        _intTransfer.Dispose();
        _totalLoss.Dispose();
        _totalCorrect.Dispose();
        _gradient.Dispose();
        _parameters.Dispose();
        _products.Dispose();
        if (_ownsDevice)
        {
            _device.Dispose();
        }
    }

    private void Forward(BatchBuffers batch, int rows)
    {
        for (int layer = 0; layer < _layout.Layers; layer++)
        {
            int inputs = _layout.LayerSizes[layer];
            int outputs = _layout.LayerSizes[layer + 1];
            ArrayView<float> output = batch.Activations[layer + 1].View;
            _products.Forward(batch.Activations[layer].View, Weight(_parameters, layer), output, rows, inputs, outputs);
            Mark(KernelPhase.DenseForward);
            bool hidden = layer + 1 < _layout.Layers;
            _kernels.BiasActivation(output, Bias(_parameters, layer), rows, outputs, relu: hidden);
            Mark(KernelPhase.BiasActivation);
        }
    }

    private void Backward(BatchBuffers batch, int rows)
    {
        // Deltas[l + 1] is the loss gradient with respect to layer l's output. For a hidden layer it still
        // lacks the ReLU derivative, which BiasGradient applies in place before the weight gradient reads it.
        for (int layer = _layout.Layers - 1; layer >= 0; layer--)
        {
            int inputs = _layout.LayerSizes[layer];
            int outputs = _layout.LayerSizes[layer + 1];
            ArrayView<float> delta = batch.Deltas[layer + 1].View;
            bool hidden = layer + 1 < _layout.Layers;
            _kernels.BiasGradient(
                delta, batch.Activations[layer + 1].View, Bias(_gradient, layer), rows, outputs, reluMask: hidden);
            Mark(KernelPhase.BiasGradient);
            _products.BackwardWeights(
                batch.Activations[layer].View, delta, Weight(_gradient, layer), rows, inputs, outputs);
            Mark(KernelPhase.DenseBackwardWeights);
            if (layer > 0)
            {
                _products.BackwardInputs(
                    delta, Weight(_parameters, layer), batch.Deltas[layer].View, rows, inputs, outputs);
                Mark(KernelPhase.DenseBackwardInputs);
            }
        }
    }

    private void Upload(BatchBuffers batch, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int rows)
    {
        _floatTransfer.Upload(inputs[..(rows * _layout.Inputs)], batch.Activations[0].View);
        _intTransfer.Upload(labels[..rows], batch.Labels.View);
    }

    private BatchStats DownloadStats(int rows)
    {
        _floatTransfer.Download(_totalLoss.View, _lossHost);
        _intTransfer.Download(_totalCorrect.View, _correctHost);
        return new BatchStats((double)_lossHost[0] / rows, _correctHost[0], rows);
    }

    private void ValidateBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int rows)
    {
        long needed = (long)rows * _layout.Inputs;
        if (inputs.Length < needed)
        {
            throw new ArgumentException(
                $"inputs has {inputs.Length} values; expected {rows} samples x {_layout.Inputs} features = {needed}.",
                nameof(inputs));
        }

        if (labels.Length < rows)
        {
            throw new ArgumentException($"labels has {labels.Length} values; expected {rows}.", nameof(labels));
        }

        int classes = _layout.Classes;
        for (int i = 0; i < rows; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException(
                    $"labels[{i}] is {labels[i]}; expected a class in [0, {classes}).", nameof(labels));
            }
        }
    }

    private BatchBuffers EnsureCapacity(int rows)
    {
        if (_batch is null || _batch.Capacity < rows)
        {
            int capacity = Math.Max(rows, _batch?.Capacity * 2 ?? 0);
            _batch?.Dispose();
            _batch = new BatchBuffers(_device.Accelerator, _layout.LayerSizes, capacity);
        }

        return _batch;
    }

    private ArrayView<float> Weight(MemoryBuffer1D<float, Stride1D.Dense> flat, int layer) =>
        flat.View.SubView(
            _layout.WeightOffset(layer), (long)_layout.LayerSizes[layer] * _layout.LayerSizes[layer + 1]);

    private ArrayView<float> Bias(MemoryBuffer1D<float, Stride1D.Dense> flat, int layer) =>
        flat.View.SubView(_layout.BiasOffset(layer), _layout.LayerSizes[layer + 1]);

    private void StartPhases()
    {
        if (Timings is not null)
        {
            _device.Synchronize();
            _phaseStart = Stopwatch.GetTimestamp();
        }
    }

    private void Mark(KernelPhase phase)
    {
        if (Timings is null)
        {
            return;
        }

        _device.Synchronize();
        long now = Stopwatch.GetTimestamp();
        Timings.Add(phase, now - _phaseStart);
        _phaseStart = now;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
