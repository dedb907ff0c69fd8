using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ParamServer.Checkpoints.Internal;

/// <summary>
/// Reads little-endian fields from a stream while enforcing that no read crosses the end of the current section,
/// so a bad length inside the content is reported as a format error rather than read from the next section.
/// </summary>
internal sealed class SectionReader(Stream stream, string? path)
{
    private readonly byte[] _scratch = new byte[sizeof(long)];

    /// <summary>Bytes left in the current bound (a section, or the whole content between sections).</summary>
    public long Remaining { get; set; }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Fill(sizeof(int)));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Fill(sizeof(uint)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Fill(sizeof(long)));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Fill(sizeof(ulong)));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Fill(sizeof(double)));

    public bool ReadBoolean(string field)
    {
        byte value = Fill(1)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Malformed($"{field} is {value}; expected 0 or 1."),
        };
    }

    public byte[] ReadBytes(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw Malformed($"{field} declares {count} bytes; the section has {Remaining} left.");
        }

        byte[] bytes = new byte[count];
        ReadExactly(bytes);
        return bytes;
    }

    public string ReadString(string field)
    {
        int length = ReadInt32();
        return Encoding.UTF8.GetString(ReadBytes(length, field));
    }

    public float[] ReadFloats(long count, string field)
    {
        if (count < 0 || count > Array.MaxLength || count * sizeof(float) > Remaining)
        {
            throw Malformed($"{field} declares {count} float32 values; the section has {Remaining} bytes left.");
        }

        float[] values = new float[count];
        ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public void Skip(long count)
    {
        if (count > Remaining)
        {
            throw Malformed($"cannot skip {count} bytes; the section has {Remaining} left.");
        }

        stream.Seek(count, SeekOrigin.Current);
        Remaining -= count;
    }

    public CheckpointFormatException Malformed(string message) => new(CheckpointError.Malformed, message, path);

    private Span<byte> Fill(int count)
    {
        if (count > Remaining)
        {
            throw Malformed($"a {count}-byte field crosses the end of its section ({Remaining} bytes left).");
        }

        Span<byte> span = _scratch.AsSpan(0, count);
        ReadExactly(span);
        return span;
    }

    private void ReadExactly(Span<byte> destination)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointFormatException(
                CheckpointError.Truncated, "the file ended inside its content while it was being read.", path);
        }

        Remaining -= destination.Length;
    }
}
