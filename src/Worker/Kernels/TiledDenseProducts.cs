using ILGPU;
using ILGPU.Runtime;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Dense products for GPUs: one ILGPU kernel computing c[M, N] = A · B for strided A and B, so the transposed
/// operands of the backward products need no copy. A group of 16 x 16 threads computes a 32 x 32 tile of c;
/// the operand tiles pass through shared memory 16 deep, and each thread keeps a 2 x 2 block of c in registers,
/// so every shared-memory load feeds two multiply-adds.
/// </summary>
public sealed class TiledDenseProducts : IDenseProducts
{
    /// <summary>Threads per group side.</summary>
    public const int GroupWidth = 16;

    /// <summary>Threads per group.</summary>
    public const int GroupSize = GroupWidth * GroupWidth;

    private const int Tile = 2 * GroupWidth;
    private const int TileDepth = 16;

    private readonly ComputeDevice _device;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ProductShape> _multiply;

    internal TiledDenseProducts(ComputeDevice device)
    {
        _device = device;
        _multiply = device.Accelerator.LoadKernel<
            ArrayView<float>, ArrayView<float>, ArrayView<float>, ProductShape>(MultiplyKernel);
    }

    public void Forward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> y, int m, int k, int n)
    {
        DenseProductChecks.Forward(x, w, y, m, k, n);
        Launch(x, w, y, new ProductShape(m, n, k, k, 1, n, 1));
    }

    public void BackwardWeights(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, int m, int k, int n)
    {
        DenseProductChecks.BackwardWeights(x, dy, dw, m, k, n);

        // dw = xᵀ · dy: A(r, q) = x[q, r] walks x by columns.
        Launch(x, dy, dw, new ProductShape(k, n, m, 1, k, n, 1));
    }

    public void BackwardInputs(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, int m, int k, int n)
    {
        DenseProductChecks.BackwardInputs(dy, w, dx, m, k, n);

        // dx = dy · wᵀ: B(q, c) = w[c, q].
        Launch(dy, w, dx, new ProductShape(m, k, n, n, 1, 1, n));
    }

    public void Dispose()
    {
    }

    private void Launch(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ProductShape shape)
    {
        if (shape.Rows == 0 || shape.Columns == 0)
        {
            return;
        }

        var grid = new Index2D((shape.Columns + Tile - 1) / Tile, (shape.Rows + Tile - 1) / Tile);
        var group = new Index2D(GroupWidth, GroupWidth);
        _multiply(_device.Stream, new KernelConfig(grid, group), a, b, c, shape);
    }

    private static void MultiplyKernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ProductShape s)
    {
        ArrayView<float> aTile = SharedMemory.Allocate<float>(TileDepth * Tile);
        ArrayView<float> bTile = SharedMemory.Allocate<float>(TileDepth * Tile);
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int rowBase = Grid.IdxY * Tile;
        int columnBase = Grid.IdxX * Tile;
        int lane = ty * GroupWidth + tx;
        float c00 = 0f;
        float c01 = 0f;
        float c10 = 0f;
        float c11 = 0f;

        for (int depthBase = 0; depthBase < s.Depth; depthBase += TileDepth)
        {
            // Each thread stages two elements of each operand tile; out-of-range elements are zero.
            for (int e = lane; e < TileDepth * Tile; e += GroupSize)
            {
                int q = e / Tile;
                int offset = e % Tile;
                int depth = depthBase + q;
                int row = rowBase + offset;
                int column = columnBase + offset;
                aTile[e] = depth < s.Depth && row < s.Rows
                    ? a[row * s.ARowStride + depth * s.AColumnStride]
                    : 0f;
                bTile[e] = depth < s.Depth && column < s.Columns
                    ? b[depth * s.BRowStride + column * s.BColumnStride]
                    : 0f;
            }

            Group.Barrier();
            for (int q = 0; q < TileDepth; q++)
            {
                float a0 = aTile[q * Tile + ty];
                float a1 = aTile[q * Tile + ty + GroupWidth];
                float b0 = bTile[q * Tile + tx];
                float b1 = bTile[q * Tile + tx + GroupWidth];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c10 += a1 * b0;
                c11 += a1 * b1;
            }

            Group.Barrier();
        }

        Store(c, s, rowBase + ty, columnBase + tx, c00);
        Store(c, s, rowBase + ty, columnBase + tx + GroupWidth, c01);
        Store(c, s, rowBase + ty + GroupWidth, columnBase + tx, c10);
        Store(c, s, rowBase + ty + GroupWidth, columnBase + tx + GroupWidth, c11);
    }

    private static void Store(ArrayView<float> c, ProductShape s, int row, int column, float value)
    {
        if (row < s.Rows && column < s.Columns)
        {
            c[row * s.Columns + column] = value;
        }
    }

    /// <summary>
    /// c[Rows, Columns] = A · B over Depth, with A(r, q) = a[r * ARowStride + q * AColumnStride] and
    /// B(q, j) = b[q * BRowStride + j * BColumnStride]; c is dense row-major.
    /// </summary>
    internal readonly record struct ProductShape(
        int Rows,
        int Columns,
        int Depth,
        int ARowStride,
        int AColumnStride,
        int BRowStride,
        int BColumnStride);
}
