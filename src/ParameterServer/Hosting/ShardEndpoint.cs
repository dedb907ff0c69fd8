using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ParamServer.Server.Hosting;

/// <summary>The gRPC endpoint this shard is bound to, known once Kestrel listens.</summary>
public sealed class ShardEndpoint
{
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the endpoint clients connect to, such as <c>http://127.0.0.1:43211</c>.</summary>
    public Task<string> Address => _address.Task;

    /// <summary>The gRPC listener; Kestrel replaces its endpoint with the bound one (the real port for port 0).</summary>
    internal ListenOptions? GrpcListener { get; set; }

    /// <summary>Whether the gRPC listener uses TLS, so the address gets the https scheme.</summary>
    internal bool UsesTls { get; set; }

    /// <summary>
    /// Returns the dialable address of the bound gRPC listener, or null before it is bound. A wildcard bind is
    /// reported as loopback, the address launchers on the same host dial.
    /// </summary>
    internal string? BoundAddress()
    {
        if (GrpcListener?.IPEndPoint is not { } bound)
        {
            return null;
        }

        IPAddress address = bound.Address;
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        string scheme = UsesTls ? "https" : "http";
        return $"{scheme}://{new IPEndPoint(address, bound.Port)}";
    }

    internal void SetAddress(string address) => _address.TrySetResult(address);

    internal void SetFailed(Exception error) => _address.TrySetException(error);
}
