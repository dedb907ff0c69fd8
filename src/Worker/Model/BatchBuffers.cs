using ILGPU;
using ILGPU.Runtime;

namespace ParamServer.Worker.Model;

/// <summary>
/// Device buffers sized for up to <see cref="Capacity"/> rows: per layer boundary the activations (index 0 is the
/// input, the last the logits) and the loss gradient with respect to them, plus labels and per-row results.
/// </summary>
internal sealed class BatchBuffers : IDisposable
{
    public BatchBuffers(Accelerator accelerator, IReadOnlyList<int> layerSizes, int capacity)
    {
        Capacity = capacity;
        Activations = new MemoryBuffer1D<float, Stride1D.Dense>[layerSizes.Count];
        Deltas = new MemoryBuffer1D<float, Stride1D.Dense>[layerSizes.Count];
        for (int i = 0; i < layerSizes.Count; i++)
        {
            Activations[i] = accelerator.Allocate1D<float>((long)capacity * layerSizes[i]);

            // No gradient flows into the input, so index 0 stays a one-element placeholder.
            Deltas[i] = accelerator.Allocate1D<float>(i == 0 ? 1 : (long)capacity * layerSizes[i]);
        }

        Labels = accelerator.Allocate1D<int>(capacity);
        RowLoss = accelerator.Allocate1D<float>(capacity);
        RowCorrect = accelerator.Allocate1D<int>(capacity);
    }

    public int Capacity { get; }

    public MemoryBuffer1D<float, Stride1D.Dense>[] Activations { get; }

    public MemoryBuffer1D<float, Stride1D.Dense>[] Deltas { get; }

    public MemoryBuffer1D<int, Stride1D.Dense> Labels { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> RowLoss { get; }

    public MemoryBuffer1D<int, Stride1D.Dense> RowCorrect { get; }

    public void Dispose()
    {
        foreach (MemoryBuffer1D<float, Stride1D.Dense> buffer in Activations.Concat(Deltas))
        {
            buffer.Dispose();
        }

        Labels.Dispose();
        RowLoss.Dispose();
        RowCorrect.Dispose();
    }
}
