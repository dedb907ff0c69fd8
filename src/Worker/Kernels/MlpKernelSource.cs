using ILGPU;
using ILGPU.Algorithms;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Kernel bodies of the elementwise and loss steps. Each kernel is written once: thread t handles the items
/// [t * itemsPerThread, min((t + 1) * itemsPerThread, count)), so a GPU launches one thread per item and the
/// CPU accelerator launches one thread per core over a contiguous block (see <see cref="WorkSplit"/>). None of
/// them uses shared memory or barriers, which cost milliseconds on the CPU accelerator.
/// </summary>
internal static class MlpKernelSource
{
    /// <summary>
    /// Adds bias[c] to every element of the row-major [rows, columns] matrix and, when
    /// <paramref name="applyRelu"/> is non-zero, clamps the result at zero. Items are elements.
    /// </summary>
    public static void BiasActivation(
        Index1D thread,
        ArrayView<float> values,
        ArrayView<float> bias,
        int count,
        int columns,
        int itemsPerThread,
        int applyRelu)
    {
        int start = thread * itemsPerThread;
        int end = XMath.Min(start + itemsPerThread, count);
        int column = start % columns;
        for (int i = start; i < end; i++)
        {
            float value = values[i] + bias[column];
            if (applyRelu != 0 && value < 0f)
            {
                value = 0f;
            }

            values[i] = value;
            column++;
            if (column == columns)
            {
                column = 0;
            }
        }
    }

    /// <summary>
    /// Writes biasGradient[c] = sum over rows of gradient[r, c]. When <paramref name="applyReluMask"/> is non-zero
    /// it first applies the ReLU derivative in place: gradient[r, c] becomes 0 wherever activations[r, c] (the
    /// ReLU output of the forward pass) is not positive. Items are columns.
    /// </summary>
    public static void BiasGradient(
        Index1D thread,
        ArrayView<float> gradient,
        ArrayView<float> activations,
        ArrayView<float> biasGradient,
        int rows,
        int columns,
        int itemsPerThread,
        int applyReluMask)
    {
        int start = thread * itemsPerThread;
        int end = XMath.Min(start + itemsPerThread, columns);

        // Column-outer order keeps the sum in a register. On a GPU neighbouring threads read neighbouring columns
        // of a row (coalesced); on the CPU path a thread's block of columns stays in the same cache lines.
        for (int c = start; c < end; c++)
        {
            float sum = 0f;
            for (int index = c; index < rows * columns; index += columns)
            {
                float g = gradient[index];
                if (applyReluMask != 0 && activations[index] <= 0f)
                {
                    g = 0f;
                    gradient[index] = 0f;
                }

                sum += g;
            }

            biasGradient[c] = sum;
        }
    }

    /// <summary>
    /// Computes, per row of the [rows, classes] logits, the cross-entropy loss of softmax against the label,
    /// whether the arg-max equals the label, and (when <paramref name="writeGradient"/> is non-zero) the gradient
    /// of the mean loss, (softmax - one_hot) * gradientScale. Items are rows.
    /// </summary>
    public static void SoftmaxCrossEntropy(
        Index1D thread,
        ArrayView<float> logits,
        ArrayView<int> labels,
        ArrayView<float> gradient,
        ArrayView<float> rowLoss,
        ArrayView<int> rowCorrect,
        int rows,
        int classes,
        int itemsPerThread,
        float gradientScale,
        int writeGradient)
    {
        int start = thread * itemsPerThread;
        int end = XMath.Min(start + itemsPerThread, rows);
        for (int r = start; r < end; r++)
        {
            int offset = r * classes;
            float max = logits[offset];
            int argMax = 0;
            for (int c = 1; c < classes; c++)
            {
                float value = logits[offset + c];
                if (value > max)
                {
                    max = value;
                    argMax = c;
                }
            }

            float sum = 0f;
            for (int c = 0; c < classes; c++)
            {
                sum += XMath.Exp(logits[offset + c] - max);
            }

            int label = labels[r];
            float logSum = XMath.Log(sum);
            rowLoss[r] = logSum - (logits[offset + label] - max);
            rowCorrect[r] = argMax == label ? 1 : 0;
            if (writeGradient != 0)
            {
                float inverseSum = 1f / sum;
                for (int c = 0; c < classes; c++)
                {
                    float probability = XMath.Exp(logits[offset + c] - max) * inverseSum;
                    float target = c == label ? 1f : 0f;
                    gradient[offset + c] = (probability - target) * gradientScale;
                }
            }
        }
    }

    /// <summary>
    /// Adds the sums of rowLoss and rowCorrect over this thread's rows to totalLoss[0] and totalCorrect[0] with
    /// atomics; the caller zeroes both first. Items are rows.
    /// </summary>
    public static void SumLossAndCorrect(
        Index1D thread,
        ArrayView<float> rowLoss,
        ArrayView<int> rowCorrect,
        ArrayView<float> totalLoss,
        ArrayView<int> totalCorrect,
        int rows,
        int itemsPerThread)
    {
        int start = thread * itemsPerThread;
        int end = XMath.Min(start + itemsPerThread, rows);
        float loss = 0f;
        int correct = 0;
        for (int r = start; r < end; r++)
        {
            loss += rowLoss[r];
            correct += rowCorrect[r];
        }

        if (end > start)
        {
            Atomic.Add(ref totalLoss[0], loss);
            Atomic.Add(ref totalCorrect[0], correct);
        }
    }
}
