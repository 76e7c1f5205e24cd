using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>
/// The raw baselines' far end: whatever bytes arrive on a loopback socket go straight back, in one write
/// per read. No parsing, no dispatch: what a round trip costs when nothing but the bytes travels. Frames
/// that arrive together (a pipelined client) also leave together.
/// </summary>
public sealed class TcpEchoServer(int port) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stoppingToken);
                socket.NoDelay = true;
                connections.Add(EchoAsync(socket, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(connections);
    }

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client closed its socket, or the node is stopping.
        }
    }
}
