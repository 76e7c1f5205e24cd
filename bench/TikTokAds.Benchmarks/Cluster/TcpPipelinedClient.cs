using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>
/// All callers share one loopback socket, as Orleans shares one connection between two silos: frames
/// queued while a send is under way leave together in the next one, and replies find their caller by
/// slot. The least a multiplexed transport can cost; it does nothing else.
/// </summary>
public sealed class TcpPipelinedClient : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly byte[] _payload;
    private readonly TaskCompletionSource<int>?[] _pending;
    private readonly Channel<int> _outgoing = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly Task _reader;

    private TcpPipelinedClient(NetworkStream stream, byte[] payload, int slots)
    {
        _stream = stream;
        _payload = payload;
        _pending = new TaskCompletionSource<int>?[slots];
        _writer = WriteLoopAsync(_stop.Token);
        _reader = ReadLoopAsync(_stop.Token);
    }

    public static async Task<TcpPipelinedClient> ConnectAsync(int port, byte[] payload, int slots, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return new TcpPipelinedClient(new NetworkStream(socket, ownsSocket: true), payload, slots);
    }

    /// <summary>One round trip for <paramref name="slot"/>, which must not have another in flight.</summary>
    public Task<int> RoundTripAsync(int slot)
    {
        var reply = new TaskCompletionSource<int>();
        _pending[slot] = reply;
        _outgoing.Writer.TryWrite(slot);
        return reply.Task;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var frameLength = TcpFrame.Length(_payload);
        var buffer = new byte[frameLength * _pending.Length];
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(cancellationToken))
            {
                var length = 0;
                while (length + frameLength <= buffer.Length && _outgoing.Reader.TryRead(out var slot))
                {
                    TcpFrame.Write(buffer.AsSpan(length), slot, _payload);
                    length += frameLength;
                }
                await _stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var frameLength = TcpFrame.Length(_payload);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
                var offset = 0;
                for (; filled - offset >= frameLength; offset += frameLength)
                {
                    _pending[TcpFrame.Slot(buffer.AsSpan(offset))]!.SetResult(0);
                }
                buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                filled -= offset;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _outgoing.Writer.TryComplete();
        await _stream.DisposeAsync();
        await Task.WhenAll(_writer, _reader);
        _stop.Dispose();
    }
}
