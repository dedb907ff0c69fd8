using System.Globalization;
using Microsoft.Extensions.Options;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Sets <see cref="ShardOptions.Index"/> from the trailing <c>-N</c> of the host name when
/// <see cref="ShardOptions.IndexFromHostname"/> is on, as a StatefulSet names its pods.
/// </summary>
public sealed class ShardIndexFromHostname : IPostConfigureOptions<ShardOptions>
{
    private readonly Func<string> _hostName;

    public ShardIndexFromHostname()
        : this(System.Net.Dns.GetHostName)
    {
    }

    public ShardIndexFromHostname(Func<string> hostName) => _hostName = hostName;

    public void PostConfigure(string? name, ShardOptions options)
    {
        if (!options.IndexFromHostname)
        {
            return;
        }

        string host = _hostName();
        options.Index = ParseOrdinal(host)
            ?? throw new OptionsValidationException(
                name ?? Options.DefaultName,
                typeof(ShardOptions),
                [$"Shard:IndexFromHostname is true but host name '{host}' does not end in '-N' with N a shard index."]);
    }

    /// <summary>Returns N from a host name ending in <c>-N</c> (the first label only), or null.</summary>
    public static int? ParseOrdinal(string hostName)
    {
        string label = hostName.Split('.')[0];
        int dash = label.LastIndexOf('-');
        if (dash < 0 || dash == label.Length - 1)
        {
            return null;
        }

        return int.TryParse(label.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal)
            ? ordinal
            : null;
    }
}
