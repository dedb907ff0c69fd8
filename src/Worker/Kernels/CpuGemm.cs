using System.Numerics;
using System.Runtime.CompilerServices;

namespace ParamServer.Worker.Kernels;

/// <summary>
/// Single-precision product c[rows, columns] = A · B on host memory, where A(r, q) = a[r * aRowStride +
/// q * aColumnStride] may be strided (a transposed operand) and B is dense row-major with row length
/// <c>columns</c>. The micro-kernel keeps a 4-row by 2-vector block of c in registers over the whole depth, so
/// each B load feeds four fused multiply-adds and each broadcast of A feeds two. Column strips of B are reused
/// across all row blocks while they sit in cache, and the tiles are split between threads in column-strip order.
/// </summary>
internal static unsafe class CpuGemm
{
    private const int RowBlock = 4;
    private const long SingleThreadMultiplyAdds = 1L << 20;

    private static int Width => Vector<float>.Count;

    /// <summary>Computes the product, splitting tiles across at most <paramref name="threads"/> threads.</summary>
    public static void Multiply(
        float* a,
        int aRowStride,
        int aColumnStride,
        float* b,
        float* c,
        int rows,
        int columns,
        int depth,
        int threads)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        var job = new Job(a, aRowStride, aColumnStride, b, c, rows, columns, depth);
        int tiles = job.RowBlocks * job.ColumnBlocks;
        int workers = Math.Clamp(threads, 1, tiles);

        // Below about a million multiply-adds (tens of microseconds on one core) waking and joining other
        // threads costs as much as it saves.
        if (workers == 1 || (long)rows * columns * depth < SingleThreadMultiplyAdds)
        {
            job.Run(0, tiles);
            return;
        }

        // Four chunks per worker let a thread that runs late (the machine may be shared) leave its remaining
        // chunks to the others, while each chunk still spans whole column strips or row panels.
        int chunks = Math.Min(tiles, workers * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, chunk =>
        {
            int first = (int)((long)tiles * chunk / chunks);
            int last = (int)((long)tiles * (chunk + 1) / chunks);
            job.Run(first, last);
        });
    }

    private readonly struct Job
    {
        private readonly float* _a;
        private readonly int _aRowStride;
        private readonly int _aColumnStride;
        private readonly float* _b;
        private readonly float* _c;
        private readonly int _rows;
        private readonly int _columns;
        private readonly int _depth;
        private readonly bool _rowBlockMajor;

        public Job(float* a, int aRowStride, int aColumnStride, float* b, float* c, int rows, int columns, int depth)
        {
            _a = a;
            _aRowStride = aRowStride;
            _aColumnStride = aColumnStride;
            _b = b;
            _c = c;
            _rows = rows;
            _columns = columns;
            _depth = depth;
            RowBlocks = (rows + RowBlock - 1) / RowBlock;
            ColumnBlocks = (columns + 2 * Width - 1) / (2 * Width);

            // A row-major A panel is read in full cache lines, so keeping the B strip in cache across row blocks
            // wins. A strided A (a transposed operand) uses a quarter of each line it touches, so then the A panel
            // is kept instead and B streams across column blocks.
            _rowBlockMajor = aColumnStride != 1;
        }

        public int RowBlocks { get; }

        public int ColumnBlocks { get; }

        /// <summary>Computes tiles [first, last), numbered column-strip-major or row-block-major.</summary>
        public void Run(int first, int last)
        {
            for (int tile = first; tile < last; tile++)
            {
                (int rowBlock, int columnBlock) = _rowBlockMajor
                    ? Math.DivRem(tile, ColumnBlocks)
                    : (tile % RowBlocks, tile / RowBlocks);
                int column = columnBlock * 2 * Width;
                int row = rowBlock * RowBlock;
                int width = Math.Min(2 * Width, _columns - column);
                if (row + RowBlock <= _rows)
                {
                    Rows4(row, column, width);
                }
                else
                {
                    for (int r = row; r < _rows; r++)
                    {
                        Rows1(r, column, width);
                    }
                }
            }
        }

        private void Rows4(int row, int column, int width)
        {
            int j = column;
            if (width == 2 * Width)
            {
                Rows4Vectors2(row, j);
                return;
            }

            if (width >= Width)
            {
                Rows4Vectors1(row, j);
                j += Width;
            }

            for (; j < column + width; j++)
            {
                for (int r = row; r < row + RowBlock; r++)
                {
                    Scalar(r, j);
                }
            }
        }

        private void Rows1(int row, int column, int width)
        {
            int j = column;
            for (; j + Width <= column + width; j += Width)
            {
                Rows1Vector1(row, j);
            }

            for (; j < column + width; j++)
            {
                Scalar(row, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Rows4Vectors2(int row, int column)
        {
            float* a0 = _a + (long)row * _aRowStride;
            float* a1 = a0 + _aRowStride;
            float* a2 = a1 + _aRowStride;
            float* a3 = a2 + _aRowStride;
            float* b = _b + column;
            Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
            long aOffset = 0;
            for (int q = 0; q < _depth; q++)
            {
                Vector<float> b0 = Vector.Load(b);
                Vector<float> b1 = Vector.Load(b + Width);
                var x = new Vector<float>(a0[aOffset]);
                c00 = Vector.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector.FusedMultiplyAdd(x, b1, c01);
                x = new Vector<float>(a1[aOffset]);
                c10 = Vector.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector.FusedMultiplyAdd(x, b1, c11);
                x = new Vector<float>(a2[aOffset]);
                c20 = Vector.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector.FusedMultiplyAdd(x, b1, c21);
                x = new Vector<float>(a3[aOffset]);
                c30 = Vector.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector.FusedMultiplyAdd(x, b1, c31);
                aOffset += _aColumnStride;
                b += _columns;
            }

            float* c = _c + (long)row * _columns + column;
            c00.Store(c);
            c01.Store(c + Width);
            c += _columns;
            c10.Store(c);
            c11.Store(c + Width);
            c += _columns;
            c20.Store(c);
            c21.Store(c + Width);
            c += _columns;
            c30.Store(c);
            c31.Store(c + Width);
        }

        private void Rows4Vectors1(int row, int column)
        {
            float* a0 = _a + (long)row * _aRowStride;
            float* a1 = a0 + _aRowStride;
            float* a2 = a1 + _aRowStride;
            float* a3 = a2 + _aRowStride;
            float* b = _b + column;
            Vector<float> c0 = default, c1 = default, c2 = default, c3 = default;
            long aOffset = 0;
            for (int q = 0; q < _depth; q++)
            {
                Vector<float> b0 = Vector.Load(b);
                c0 = Vector.FusedMultiplyAdd(new Vector<float>(a0[aOffset]), b0, c0);
                c1 = Vector.FusedMultiplyAdd(new Vector<float>(a1[aOffset]), b0, c1);
                c2 = Vector.FusedMultiplyAdd(new Vector<float>(a2[aOffset]), b0, c2);
                c3 = Vector.FusedMultiplyAdd(new Vector<float>(a3[aOffset]), b0, c3);
                aOffset += _aColumnStride;
                b += _columns;
            }

            float* c = _c + (long)row * _columns + column;
            c0.Store(c);
            c1.Store(c + _columns);
            c2.Store(c + 2L * _columns);
            c3.Store(c + 3L * _columns);
        }

        private void Rows1Vector1(int row, int column)
        {
            float* a0 = _a + (long)row * _aRowStride;
            float* b = _b + column;
            Vector<float> c0 = default;
            long aOffset = 0;
            for (int q = 0; q < _depth; q++)
            {
                c0 = Vector.FusedMultiplyAdd(new Vector<float>(a0[aOffset]), Vector.Load(b), c0);
                aOffset += _aColumnStride;
                b += _columns;
            }

            c0.Store(_c + (long)row * _columns + column);
        }

        private void Scalar(int row, int column)
        {
            float* a0 = _a + (long)row * _aRowStride;
            float* b = _b + column;
            float sum = 0f;
            long aOffset = 0;
            for (int q = 0; q < _depth; q++)
            {
                sum = MathF.FusedMultiplyAdd(a0[aOffset], *b, sum);
                aOffset += _aColumnStride;
                b += _columns;
            }

            _c[(long)row * _columns + column] = sum;
        }
    }
}
