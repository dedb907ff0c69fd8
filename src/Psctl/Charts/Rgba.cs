namespace ParamServer.Psctl.Charts;

/// <summary>A color with 8-bit red, green, blue and alpha channels; alpha 255 is opaque.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    public static Rgba White { get; } = new(255, 255, 255);

    public static Rgba Black { get; } = new(0, 0, 0);
}
