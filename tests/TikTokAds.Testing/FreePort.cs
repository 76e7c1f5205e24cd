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

    // The test projects run as processes side by side, each handing out ports from this range, and a port is bound
    // some time after it is handed out (a fixture's node starts at its first test, a node process after it loads):
    // two processes could hand out the same free port, and the second bind failed with "Address already in use"
    // (seen once, in the forty-third pass). A port is handed out only by the process that reserves it here first; a
    // reservation older than ReservationLife is taken to belong to an earlier run.
    private static readonly string Reservations = Path.Combine(Path.GetTempPath(), "tiktokads-test-ports");
    private static readonly TimeSpan ReservationLife = TimeSpan.FromMinutes(30);

    /// <summary>A loopback port free right now, outside the range the OS gives outgoing connections, and handed to no other test process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 256; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Span);
            if (IsFree(port) && TryReserve(port))
            {
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool TryReserve(int port)
    {
        Directory.CreateDirectory(Reservations);
        var path = Path.Combine(Reservations, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var created = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < ReservationLife)
            {
                return false;
            }
            // Left by an earlier run: taken over, and dated now.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
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
