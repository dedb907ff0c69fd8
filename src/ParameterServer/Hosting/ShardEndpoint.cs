namespace ParamServer.Server.Hosting;

/// <summary>The gRPC endpoint this shard is bound to, known once Kestrel listens.</summary>
public sealed class ShardEndpoint
{
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the endpoint clients connect to, such as <c>http://127.0.0.1:43211</c>.</summary>
    public Task<string> Address => _address.Task;

    internal void SetAddress(string address) => _address.TrySetResult(address);

    internal void SetFailed(Exception error) => _address.TrySetException(error);
}
