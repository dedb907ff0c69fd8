namespace ParamServer.Worker.Client;

/// <summary>A shard sent a reply that breaks the protocol, such as weights of the wrong range or length.</summary>
public sealed class ShardProtocolException : Exception
{
    public ShardProtocolException(int shard, string message)
        : base($"Shard {shard}: {message}")
    {
        Shard = shard;
    }

    public int Shard { get; }
}
