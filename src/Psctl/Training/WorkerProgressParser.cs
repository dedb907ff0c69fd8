using System.Text.Json;

namespace ParamServer.Psctl.Training;

/// <summary>
/// Reads the JSON progress lines a worker writes to standard output (one object per line with "event", "time"
/// and "job"; a "step" event carries "version" and "loss") and returns the loss samples they contain.
/// </summary>
public static class WorkerProgressParser
{
    /// <summary>Returns (version, loss) for a "step" line with a finite loss; null for any other line.</summary>
    public static (long Version, double Loss)? ParseStep(string line)
    {
        if (!line.StartsWith('{') || !line.Contains("\"step\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("event", out JsonElement kind) || kind.ValueKind != JsonValueKind.String
                || kind.GetString() != "step"
                || !root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number
                || !root.TryGetProperty("loss", out JsonElement loss) || loss.ValueKind != JsonValueKind.Number)
            {
                return null;
            }

            double value = loss.GetDouble();
            return double.IsFinite(value) ? (version.GetInt64(), value) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
