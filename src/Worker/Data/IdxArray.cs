namespace ParamServer.Worker.Data;

/// <summary>The unsigned-byte contents of an IDX file: its dimensions and its values in row-major order.</summary>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Values)
{
    /// <summary>First dimension: the number of items (images or labels).</summary>
    public int Count => Dimensions[0];

    /// <summary>Values per item: the product of the dimensions after the first.</summary>
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (product, d) => product * d);
}
