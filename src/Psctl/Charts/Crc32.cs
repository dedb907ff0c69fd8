namespace ParamServer.Psctl.Charts;

/// <summary>CRC-32 as PNG and zlib's gzip define it: reflected polynomial 0xEDB88320, initial and final XOR ~0.</summary>
public static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>Continues a running CRC over <paramref name="data"/>; start with 0 and pass the result on.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
