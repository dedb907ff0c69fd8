using ParamServer.Psctl.Cli;

namespace ParamServer.Psctl.Rpc;

/// <summary>Parses shard addresses given as HOST:PORT (plain HTTP/2, h2c) or as an http:// or https:// URL.</summary>
public static class ShardEndpoint
{
    /// <exception cref="OptionException">The text is not HOST:PORT or an http(s) URL with a port from 1 to 65535.</exception>
    public static Uri Parse(string text, string option)
    {
        string trimmed = text.Trim();
        bool hasScheme = trimmed.Contains("://", StringComparison.Ordinal);
        string candidate = hasScheme ? trimmed : "http://" + trimmed;
        int colon = trimmed.LastIndexOf(':');
        bool hasPort = hasScheme
            || (colon > 0 && int.TryParse(trimmed[(colon + 1)..], out int port) && port is >= 1 and <= 65535);
        if (!hasPort
            || !Uri.TryCreate(candidate, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/")
        {
            throw new OptionException(
                $"Invalid value '{text}' for {option}: expected HOST:PORT (port from 1 to 65535) or an http:// or " +
                "https:// URL.");
        }

        return uri;
    }

    /// <summary>Parses a comma-separated list of endpoints in shard-index order.</summary>
    public static IReadOnlyList<Uri> ParseList(string text, string option) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => Parse(part, option))
            .ToArray();

    /// <summary>Formats an endpoint the way a user typed it: HOST:PORT for h2c, the full URL for https.</summary>
    public static string Display(Uri endpoint) =>
        endpoint.Scheme == Uri.UriSchemeHttp ? $"{endpoint.Host}:{endpoint.Port}" : endpoint.GetLeftPart(UriPartial.Authority);
}
