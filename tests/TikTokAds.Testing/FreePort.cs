using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Testing;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999 by default). A port the OS picked for a listener came from that
    // range, and between our check and the node's bind the OS could hand the same port to an outgoing connection
    // (a PostgreSQL or HTTP client): the node then failed with "Address already in use". Ports below the range
    // are never chosen for outgoing connections, so only another test's listener can take one.
    private const int First = 20_000;
    private const int Span = 12_000;
    private static int _next = Random.Shared.Next(Span);

    /// <summary>A loopback port free right now, outside the range the OS gives outgoing connections.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Span);
            if (IsFree(port))
            {
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
