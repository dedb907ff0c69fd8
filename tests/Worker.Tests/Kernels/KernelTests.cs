using ILGPU;
using ILGPU.Runtime;
using ParamServer.Worker.Kernels;
using ParamServer.Worker.Model;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Kernels;

/// <summary>
/// Kernel and engine checks against float64 references, run once per accelerator by the subclasses. Shapes are
/// tiny and include sizes that are not multiples of the SIMD width, the register block or the GPU tile.
/// </summary>
public abstract class KernelTests<TFixture>
    where TFixture : AcceleratorFixture
{
    // (m, k, n): single elements, tails in every dimension, and more than one 32 x 32 GPU tile and 16-deep slice.
    public static TheoryData<int, int, int> ProductShapes =>
        new() { { 1, 1, 1 }, { 3, 5, 2 }, { 9, 17, 21 }, { 20, 12, 37 } };

    private readonly TFixture _fixture;

    protected KernelTests(TFixture fixture)
    {
        _fixture = fixture;
    }

    private ComputeDevice Device
    {
        get
        {
            Skip.If(_fixture.Device is null, _fixture.SkipReason);
            return _fixture.Device!;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ProductShapes))]
    public void Forward_RandomMatrices_MatchesReference(int m, int k, int n)
    {
        ComputeDevice device = Device;
        var random = new Random(m * 1000 + k * 10 + n);
        float[] x = Reference.RandomArray(random, m * k);
        float[] w = Reference.RandomArray(random, k * n);
        using IDenseProducts products = device.CreateDenseProducts();
        using MemoryBuffer1D<float, Stride1D.Dense> xBuffer = device.Accelerator.Allocate1D(x);
        using MemoryBuffer1D<float, Stride1D.Dense> wBuffer = device.Accelerator.Allocate1D(w);
        using MemoryBuffer1D<float, Stride1D.Dense> yBuffer = device.Accelerator.Allocate1D(Poison(m * n));

        products.Forward(xBuffer.View, wBuffer.View, yBuffer.View, m, k, n);

        AssertClose(Reference.MatMul(x, w, m, k, n), Download(device, yBuffer), k);
    }

    [SkippableTheory]
    [MemberData(nameof(ProductShapes))]
    public void BackwardWeights_RandomMatrices_MatchesReference(int m, int k, int n)
    {
        ComputeDevice device = Device;
        var random = new Random(m * 1000 + k * 10 + n + 1);
        float[] x = Reference.RandomArray(random, m * k);
        float[] dy = Reference.RandomArray(random, m * n);
        using IDenseProducts products = device.CreateDenseProducts();
        using MemoryBuffer1D<float, Stride1D.Dense> xBuffer = device.Accelerator.Allocate1D(x);
        using MemoryBuffer1D<float, Stride1D.Dense> dyBuffer = device.Accelerator.Allocate1D(dy);
        using MemoryBuffer1D<float, Stride1D.Dense> dwBuffer = device.Accelerator.Allocate1D(Poison(k * n));

        products.BackwardWeights(xBuffer.View, dyBuffer.View, dwBuffer.View, m, k, n);

        AssertClose(Reference.MatMul(Reference.Transpose(x, m, k), dy, k, m, n), Download(device, dwBuffer), m);
    }

    [SkippableTheory]
    [MemberData(nameof(ProductShapes))]
    public void BackwardInputs_RandomMatrices_MatchesReference(int m, int k, int n)
    {
        ComputeDevice device = Device;
        var random = new Random(m * 1000 + k * 10 + n + 2);
        float[] dy = Reference.RandomArray(random, m * n);
        float[] w = Reference.RandomArray(random, k * n);
        using IDenseProducts products = device.CreateDenseProducts();
        using MemoryBuffer1D<float, Stride1D.Dense> dyBuffer = device.Accelerator.Allocate1D(dy);
        using MemoryBuffer1D<float, Stride1D.Dense> wBuffer = device.Accelerator.Allocate1D(w);
        using MemoryBuffer1D<float, Stride1D.Dense> dxBuffer = device.Accelerator.Allocate1D(Poison(m * k));

        products.BackwardInputs(dyBuffer.View, wBuffer.View, dxBuffer.View, m, k, n);

        AssertClose(Reference.MatMul(dy, Reference.Transpose(w, k, n), m, n, k), Download(device, dxBuffer), n);
    }

    [SkippableFact]
    public void Forward_ShortOutputView_Throws()
    {
        ComputeDevice device = Device;
        using IDenseProducts products = device.CreateDenseProducts();
        using MemoryBuffer1D<float, Stride1D.Dense> buffer = device.Accelerator.Allocate1D<float>(6);

        var error = Assert.Throws<ArgumentException>(
            () => products.Forward(buffer.View, buffer.View, buffer.View.SubView(0, 3), 2, 3, 2));

        Assert.Contains("y has 3 elements; expected at least m x n = 4", error.Message);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void BiasActivation_RandomMatrix_MatchesReference(bool relu)
    {
        ComputeDevice device = Device;
        const int rows = 7;
        const int columns = 5;
        var random = new Random(relu ? 3 : 4);
        float[] values = Reference.RandomArray(random, rows * columns);
        float[] bias = Reference.RandomArray(random, columns);
        var kernels = new MlpKernels(device);
        using MemoryBuffer1D<float, Stride1D.Dense> valuesBuffer = device.Accelerator.Allocate1D(values);
        using MemoryBuffer1D<float, Stride1D.Dense> biasBuffer = device.Accelerator.Allocate1D(bias);

        kernels.BiasActivation(valuesBuffer.View, biasBuffer.View, rows, columns, relu);

        float[] actual = Download(device, valuesBuffer);
        for (int i = 0; i < values.Length; i++)
        {
            float expected = values[i] + bias[i % columns];
            Assert.Equal(relu ? Math.Max(expected, 0f) : expected, actual[i]);
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void BiasGradient_RandomMatrix_MatchesReference(bool reluMask)
    {
        ComputeDevice device = Device;
        const int rows = 9;
        const int columns = 6;
        var random = new Random(reluMask ? 5 : 6);
        float[] gradient = Reference.RandomArray(random, rows * columns);
        float[] activations = Reference.RandomArray(random, rows * columns).Select(v => Math.Max(v, 0f)).ToArray();
        var kernels = new MlpKernels(device);
        using MemoryBuffer1D<float, Stride1D.Dense> gradientBuffer = device.Accelerator.Allocate1D(gradient);
        using MemoryBuffer1D<float, Stride1D.Dense> activationBuffer = device.Accelerator.Allocate1D(activations);
        using MemoryBuffer1D<float, Stride1D.Dense> biasBuffer = device.Accelerator.Allocate1D(Poison(columns));

        kernels.BiasGradient(gradientBuffer.View, activationBuffer.View, biasBuffer.View, rows, columns, reluMask);

        float[] masked = gradient.Select((g, i) => reluMask && activations[i] <= 0f ? 0f : g).ToArray();
        Assert.Equal(masked, Download(device, gradientBuffer));
        float[] biasGradient = Download(device, biasBuffer);
        for (int c = 0; c < columns; c++)
        {
            double expected = Enumerable.Range(0, rows).Sum(r => (double)masked[r * columns + c]);
            Assert.Equal(expected, biasGradient[c], 1e-5);
        }
    }

    [SkippableFact]
    public void SoftmaxCrossEntropy_RandomLogits_MatchesReference()
    {
        ComputeDevice device = Device;
        const int rows = 11;
        const int classes = 4;
        var random = new Random(7);
        float[] logits = Reference.RandomArray(random, rows * classes, -3, 3);
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        const float scale = 1f / rows;
        var kernels = new MlpKernels(device);
        using MemoryBuffer1D<float, Stride1D.Dense> logitBuffer = device.Accelerator.Allocate1D(logits);
        using MemoryBuffer1D<int, Stride1D.Dense> labelBuffer = device.Accelerator.Allocate1D(labels);
        using MemoryBuffer1D<float, Stride1D.Dense> gradientBuffer = device.Accelerator.Allocate1D(Poison(rows * classes));
        using MemoryBuffer1D<float, Stride1D.Dense> lossBuffer = device.Accelerator.Allocate1D(Poison(rows));
        using MemoryBuffer1D<int, Stride1D.Dense> correctBuffer = device.Accelerator.Allocate1D<int>(rows);

        kernels.SoftmaxCrossEntropy(
            logitBuffer.View, labelBuffer.View, gradientBuffer.View, lossBuffer.View, correctBuffer.View,
            rows, classes, scale, writeGradient: true);

        float[] gradient = Download(device, gradientBuffer);
        float[] loss = Download(device, lossBuffer);
        int[] correct = Download(device, correctBuffer);
        for (int r = 0; r < rows; r++)
        {
            double[] row = logits.Skip(r * classes).Take(classes).Select(v => (double)v).ToArray();
            (double expectedLoss, bool hit) = Reference.SoftmaxCrossEntropy(row, labels[r]);
            Assert.Equal(expectedLoss, loss[r], 1e-5);
            Assert.Equal(hit ? 1 : 0, correct[r]);
            double max = row.Max();
            double sum = row.Sum(z => Math.Exp(z - max));
            for (int c = 0; c < classes; c++)
            {
                double expected = (Math.Exp(row[c] - max) / sum - (c == labels[r] ? 1 : 0)) * scale;
                Assert.Equal(expected, gradient[r * classes + c], 1e-6);
            }
        }
    }

    [SkippableFact]
    public void SumLossAndCorrect_RowValues_SumsBoth()
    {
        ComputeDevice device = Device;
        float[] rowLoss = [0.5f, 1.25f, 2f, 0.25f, 4f];
        int[] rowCorrect = [1, 0, 1, 1, 0];
        var kernels = new MlpKernels(device);
        using MemoryBuffer1D<float, Stride1D.Dense> lossBuffer = device.Accelerator.Allocate1D(rowLoss);
        using MemoryBuffer1D<int, Stride1D.Dense> correctBuffer = device.Accelerator.Allocate1D(rowCorrect);
        using MemoryBuffer1D<float, Stride1D.Dense> totalLoss = device.Accelerator.Allocate1D([99f]);
        using MemoryBuffer1D<int, Stride1D.Dense> totalCorrect = device.Accelerator.Allocate1D([99]);

        kernels.SumLossAndCorrect(lossBuffer.View, correctBuffer.View, totalLoss.View, totalCorrect.View, rowLoss.Length);

        Assert.Equal(8f, Download(device, totalLoss)[0]);
        Assert.Equal(3, Download(device, totalCorrect)[0]);
    }

    [SkippableFact]
    public void ComputeGradient_SmallMlp_MatchesCentralDifferences()
    {
        ComputeDevice device = Device;
        int[] sizes = [5, 7, 6, 4];
        const int batch = 6;
        var random = new Random(8);
        using var engine = new MlpGradientEngine(device, sizes);
        float[] weights = Reference.RandomArray(random, engine.ParameterCount, -0.8, 0.8);
        float[] inputs = Reference.RandomArray(random, batch * sizes[0]);
        int[] labels = Enumerable.Range(0, batch).Select(_ => random.Next(sizes[^1])).ToArray();
        var gradient = new float[engine.ParameterCount];
        engine.SetWeights(weights);

        BatchStats stats = engine.ComputeGradient(inputs, labels, batch, gradient);

        double[] point = weights.Select(v => (double)v).ToArray();
        Assert.Equal(Reference.Loss(point, sizes, inputs, labels, batch), stats.Loss, 1e-5);

        // Central differences in float64 err by about h² (1e-10) plus rounding of about 1e-16 / h. The engine
        // computes in float32 with a relative error near 1e-6, so 1e-3 is a loose bound on a correct gradient.
        const double h = 1e-5;
        var numeric = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = Reference.Loss(point, sizes, inputs, labels, batch);
            point[i] = saved - h;
            double minus = Reference.Loss(point, sizes, inputs, labels, batch);
            point[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }

        double differenceNorm = Math.Sqrt(numeric.Select((g, i) => (g - gradient[i]) * (g - gradient[i])).Sum());
        double scale = Math.Max(Math.Sqrt(numeric.Sum(g => g * g)), Math.Sqrt(gradient.Sum(g => (double)g * g)));
        Assert.True(scale > 1e-3, $"gradient norm {scale} is too small for a meaningful comparison");
        Assert.True(differenceNorm / scale < 1e-3, $"relative error {differenceNorm / scale:E3}");
        double largest = numeric.Max(Math.Abs);
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(
                Math.Abs(numeric[i] - gradient[i]) <= 1e-3 * largest,
                $"parameter {i}: engine {gradient[i]}, central difference {numeric[i]}");
        }
    }

    [SkippableFact]
    public void Evaluate_MoreRowsThanOneChunk_MatchesReference()
    {
        ComputeDevice device = Device;
        int[] sizes = [3, 4, 3];
        int count = MlpGradientEngine.EvaluationChunk + 5;
        var random = new Random(9);
        using var engine = new MlpGradientEngine(device, sizes);
        float[] weights = Reference.RandomArray(random, engine.ParameterCount);
        float[] inputs = Reference.RandomArray(random, count * sizes[0]);
        int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(sizes[^1])).ToArray();
        engine.SetWeights(weights);

        BatchStats stats = engine.Evaluate(inputs, labels, count);

        (double loss, int correct) = Reference.Evaluate(weights, sizes, inputs, labels, count);
        Assert.Equal(count, stats.Count);
        Assert.Equal(correct, stats.Correct);
        Assert.Equal(loss, stats.Loss, 1e-5);
    }

    [SkippableFact]
    public void ComputeGradient_LabelOutOfRange_ThrowsNamingIt()
    {
        ComputeDevice device = Device;
        using var engine = new MlpGradientEngine(device, [2, 3]);
        var gradient = new float[engine.ParameterCount];

        var error = Assert.Throws<ArgumentException>(
            () => engine.ComputeGradient(new float[4], [1, 3], 2, gradient));

        Assert.Contains("labels[1] is 3; expected a class in [0, 3)", error.Message);
    }

    [SkippableFact]
    public void SetWeights_WrongLength_ThrowsNamingBoth()
    {
        ComputeDevice device = Device;
        using var engine = new MlpGradientEngine(device, [2, 3]);

        var error = Assert.Throws<ArgumentException>(() => engine.SetWeights(new float[8]));

        Assert.Contains("weights has 8 values; expected 9", error.Message);
    }

    private static float[] Poison(int length) => Enumerable.Repeat(float.NaN, length).ToArray();

    private static T[] Download<T>(ComputeDevice device, MemoryBuffer1D<T, Stride1D.Dense> buffer)
        where T : unmanaged
    {
        device.Synchronize();
        return buffer.GetAsArray1D();
    }

    private static void AssertClose(double[] expected, float[] actual, int depth)
    {
        Assert.Equal(expected.Length, actual.Length);

        // float32 sums of depth products of values in [-1, 1] carry rounding near depth * 6e-8.
        double tolerance = 1e-6 * (depth + 1);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }
    }
}
