namespace ParamServer.Sharding;

/// <summary>A contiguous, half-open range [Start, Start + Length) of the flat parameter vector.</summary>
public readonly record struct ShardRange(long Start, long Length)
{
    public long End => Start + Length;

    public bool Contains(long index) => index >= Start && index < End;

    public override string ToString() => $"[{Start}, {End})";
}
