using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace ParamServer.Psctl.Status;

/// <summary>
/// Machine-readable status: <c>{"shards": [{"endpoint": ..., "status": {...}} | {"endpoint": ..., "error": ...}]}</c>,
/// each status in the proto3 JSON mapping (lowerCamelCase field names, 64-bit integers as strings, defaults included).
/// </summary>
public static class StatusJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Render(IReadOnlyList<ShardReport> reports, bool indented)
    {
        ArgumentNullException.ThrowIfNull(reports);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("shards");
            foreach (ShardReport report in reports)
            {
                writer.WriteStartObject();
                writer.WriteString("endpoint", report.Endpoint);
                if (report.Status is not null)
                {
                    writer.WritePropertyName("status");
                    using JsonDocument status = JsonDocument.Parse(Formatter.Format(report.Status));
                    status.WriteTo(writer);
                }
                else
                {
                    writer.WriteString("error", report.Error);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
