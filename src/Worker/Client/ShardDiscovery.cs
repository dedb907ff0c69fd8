using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Client;

/// <summary>
/// Finds the shards' endpoints in shard-index order, either from a comma-separated list or from one DNS name that
/// resolves to an address per shard (a Kubernetes headless service). With a DNS name each address is asked for its
/// shard_index and num_shards through GetStatus, because DNS returns addresses in no particular order.
/// </summary>
public sealed class ShardDiscovery
{
    private readonly ShardClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Func<Uri, GrpcChannel>? _channelFactory;

    public ShardDiscovery(
        ShardClientOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        Func<Uri, GrpcChannel>? channelFactory = null)
    {
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        _channelFactory = channelFactory;
    }

    /// <summary>Delay between two discovery attempts while the name lists fewer shards than they report. Default 2 s.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Parses "http://host:port,host:port,..." into endpoints; an entry without a scheme gets "http://".
    /// </summary>
    /// <exception cref="FormatException">An entry is empty or not an absolute http or https address.</exception>
    public static IReadOnlyList<Uri> ParseList(string shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        string[] entries = shards.Split(',', StringSplitOptions.TrimEntries);
        var endpoints = new List<Uri>(entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            endpoints.Add(ParseEndpoint(entries[i], $"Worker:Shards entry {i}"));
        }

        return endpoints;
    }

    /// <summary>Parses one endpoint; <paramref name="description"/> names it in the error message.</summary>
    public static Uri ParseEndpoint(string entry, string description)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            throw new FormatException($"{description} is empty; expected an address such as http://127.0.0.1:50051.");
        }

        string text = entry.Contains("://", StringComparison.Ordinal) ? entry : "http://" + entry;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.IsDefaultPort && !entry.Contains("://", StringComparison.Ordinal))
        {
            throw new FormatException(
                $"{description} is '{entry}'; expected http://host:port or https://host:port, such as " +
                    $"http://127.0.0.1:50051.");
        }

        return uri;
    }

    /// <summary>Splits "name:port" into its parts.</summary>
    /// <exception cref="FormatException">The text has no port or the port is outside 1-65535.</exception>
    public static (string Host, int Port) ParseDnsName(string nameAndPort)
    {
        int colon = nameAndPort.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(nameAndPort.AsSpan(colon + 1), out int port)
            || port is < 1 or > 65535)
        {
            throw new FormatException(
                $"Worker:ShardsDns is '{nameAndPort}'; expected name:port with a port in 1-65535, " +
                "such as shards.paramserver.svc.cluster.local:50051.");
        }

        return (nameAndPort[..colon], port);
    }

    /// <summary>
    /// Resolves <paramref name="nameAndPort"/> until every shard index from 0 to num_shards - 1 has responded, then
    /// returns the endpoints in index order.
    /// </summary>
    /// <exception cref="TimeoutException">The shards did not all appear within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<Uri>> DiscoverAsync(string nameAndPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        (string host, int port) = ParseDnsName(nameAndPort);
        DateTimeOffset giveUpAt = _timeProvider.GetUtcNow() + timeout;
        string reason;
        while (true)
        {
            (IReadOnlyList<Uri>? endpoints, reason) = await TryDiscoverAsync(host, port, cancellationToken)
                .ConfigureAwait(false);
            if (endpoints is not null)
            {
                ClientLog.Discovered(_logger, endpoints.Count, string.Join(", ", endpoints));
                return endpoints;
            }

            if (_timeProvider.GetUtcNow() + RetryInterval > giveUpAt)
            {
                break;
            }

            ClientLog.DiscoveryIncomplete(_logger, nameAndPort, reason, RetryInterval.TotalMilliseconds);
            await Task.Delay(RetryInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"Shard discovery through Worker:ShardsDns '{nameAndPort}' did not complete within " +
                $"{timeout.TotalSeconds} s: {reason}.");
    }

    private async Task<(IReadOnlyList<Uri>? Endpoints, string Reason)> TryDiscoverAsync(
        string host,
        int port,
        CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return (null, $"resolving '{host}' failed: {e.Message}");
        }

        ClientLog.DnsResolved(_logger, host, addresses.Length, string.Join(", ", addresses.Select(a => a.ToString())));
        if (addresses.Length == 0)
        {
            return (null, $"'{host}' resolved to no addresses");
        }

        var byIndex = new SortedDictionary<int, Uri>();
        int count = -1;
        foreach (IPAddress address in addresses.Distinct())
        {
            var endpoint = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), port).Uri;
            ShardStatus status;
            using (var probe = new ShardClient(-1, endpoint, _options with { MaxRetries = 0 }, _logger, _timeProvider, _channelFactory))
            {
                try
                {
                    status = await probe.GetStatusAsync(string.Empty, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e)
                {
                    return (null, $"GetStatus at {endpoint} failed with {e.StatusCode}: {e.Status.Detail}");
                }
            }

            if (count >= 0 && status.NumShards != count)
            {
                return (null, $"{endpoint} reports {status.NumShards} shards; another address reports {count}");
            }

            count = status.NumShards;
            if (!byIndex.TryAdd(status.ShardIndex, endpoint))
            {
                return (null, $"{endpoint} and {byIndex[status.ShardIndex]} both report shard index " +
                    $"{status.ShardIndex}");
            }
        }

        if (count < 1 || byIndex.Count != count || byIndex.Keys.First() != 0 || byIndex.Keys.Last() != count - 1)
        {
            return (null, $"found shard indexes [{string.Join(", ", byIndex.Keys)}] of {count}");
        }

        return (byIndex.Values.ToList(), string.Empty);
    }
}
