using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>One caller's own loopback socket to <see cref="TcpEchoServer"/>: write one frame, read it back.</summary>
public sealed class TcpEchoClient : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly byte[] _frame;
    private readonly byte[] _reply;

    private TcpEchoClient(NetworkStream stream, byte[] payload)
    {
        _stream = stream;
        _frame = new byte[TcpFrame.Length(payload)];
        TcpFrame.Write(_frame, 0, payload);
        _reply = new byte[_frame.Length];
    }

    public static async Task<TcpEchoClient> ConnectAsync(int port, byte[] payload, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return new TcpEchoClient(new NetworkStream(socket, ownsSocket: true), payload);
    }

    public async Task<int> RoundTripAsync()
    {
        await _stream.WriteAsync(_frame);
        await _stream.ReadExactlyAsync(_reply);
        return 0;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
