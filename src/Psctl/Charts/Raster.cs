namespace ParamServer.Psctl.Charts;

/// <summary>An 8-bit RGBA image in row-major order with the drawing operations the charts need.</summary>
public sealed class Raster
{
    public Raster(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 4)];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>R, G, B, A bytes of pixel (x, y) at offset 4 * (y * Width + x).</summary>
    public byte[] Pixels { get; }

    public Rgba GetPixel(int x, int y)
    {
        int offset = 4 * (y * Width + x);
        return new Rgba(Pixels[offset], Pixels[offset + 1], Pixels[offset + 2], Pixels[offset + 3]);
    }

    /// <summary>Sets pixel (x, y); coordinates outside the image are ignored, so shapes may be clipped.</summary>
    public void SetPixel(int x, int y, Rgba color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int offset = 4 * (y * Width + x);
        Pixels[offset] = color.R;
        Pixels[offset + 1] = color.G;
        Pixels[offset + 2] = color.B;
        Pixels[offset + 3] = color.A;
    }

    public void Fill(Rgba color) => FillRectangle(0, 0, Width, Height, color);

    public void FillRectangle(int x, int y, int width, int height, Rgba color)
    {
        for (int row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
        {
            for (int column = Math.Max(0, x); column < Math.Min(Width, x + width); column++)
            {
                SetPixel(column, row, color);
            }
        }
    }

    /// <summary>Draws a line from (x0, y0) to (x1, y1) with Bresenham's algorithm, <paramref name="thickness"/> pixels wide.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgba color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0);
        int dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int before = (thickness - 1) / 2;
        while (true)
        {
            FillRectangle(x0 - before, y0 - before, thickness, thickness, color);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            int doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }
}
