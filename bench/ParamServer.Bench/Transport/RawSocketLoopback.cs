using System.Net;
using System.Net.Sockets;

namespace ParamServer.Bench.Transport;

/// <summary>
/// The baseline of the transport figures: one TCP connection on 127.0.0.1 inside this process. A round trip sends
/// a "gradient" of <see cref="Bytes"/> bytes to the peer, which reads all of it and replies with "weights" of the same
/// size, the exchange of one PushPull without framing, serialization, copies or an update.
/// </summary>
internal sealed class RawSocketLoopback : IAsyncDisposable
{
    private readonly Socket _client;
    private readonly Socket _server;
    private readonly byte[] _clientOut;
    private readonly byte[] _clientIn;
    private readonly Task _serverLoop;

    private RawSocketLoopback(Socket client, Socket server, int bytes)
    {
        _client = client;
        _server = server;
        Bytes = bytes;
        _clientOut = GC.AllocateUninitializedArray<byte>(bytes);
        _clientIn = GC.AllocateUninitializedArray<byte>(bytes);
        _clientOut.AsSpan().Fill(1);
        _serverLoop = Task.Run(ServeAsync);
    }

    /// <summary>Payload bytes in each direction of one round trip.</summary>
    public int Bytes { get; }

    public static async Task<RawSocketLoopback> ConnectAsync(int bytes, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Task<Socket> accept = listener.AcceptAsync(cancellationToken).AsTask();
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        Socket server = await accept.ConfigureAwait(false);
        server.NoDelay = true;
        return new RawSocketLoopback(client, server, bytes);
    }

    /// <summary>Sends the gradient and returns once the whole reply arrived.</summary>
    public async Task RoundTripAsync(CancellationToken cancellationToken)
    {
        await SendAllAsync(_client, _clientOut, cancellationToken).ConfigureAwait(false);
        if (!await ReceiveAllAsync(_client, _clientIn, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("The loopback peer closed the connection during a round trip.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Shutdown(SocketShutdown.Both);
        _client.Dispose();
        try
        {
            await _serverLoop.ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }

    private async Task ServeAsync()
    {
        byte[] received = GC.AllocateUninitializedArray<byte>(Bytes);
        byte[] answer = GC.AllocateUninitializedArray<byte>(Bytes);
        answer.AsSpan().Fill(2);
        try
        {
            while (await ReceiveAllAsync(_server, received, CancellationToken.None).ConfigureAwait(false))
            {
                await SendAllAsync(_server, answer, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (SocketException)
        {
            // The client went away while a round trip was in flight; the benchmark is being torn down.
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed before the first byte.</summary>
    private static async Task<bool> ReceiveAllAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return total == 0 ? false : throw new IOException("The loopback peer closed in the middle of a message.");
            }

            total += read;
        }

        return true;
    }
}
