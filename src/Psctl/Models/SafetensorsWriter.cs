using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ParamServer.Psctl.Models;

/// <summary>
/// Writes a model in the safetensors layout: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to its dtype ("F32"), shape and [begin, end) byte offsets into the data section, padded with
/// spaces to a multiple of 8 bytes, then the raw little-endian float32 data of every tensor in model order.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(FinalModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        byte[] header = BuildHeader(model);
        string temporary = path + ".partial";
        using (FileStream output = File.Create(temporary))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            output.Write(length);
            output.Write(header);
            output.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(model.Parameters.AsSpan()));
            output.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] BuildHeader(FinalModel model)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            json.WriteString("job_id", model.Job.JobId);
            json.WriteString("version", model.Version.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            foreach (Model.TensorSlot tensor in model.Layout.Tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.Offset * sizeof(float));
                json.WriteNumberValue(tensor.End * sizeof(float));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (int)((buffer.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        buffer.ToArray().CopyTo(header, 0);
        Encoding.ASCII.GetBytes(new string(' ', padded - (int)buffer.Length)).CopyTo(header, (int)buffer.Length);
        return header;
    }
}
