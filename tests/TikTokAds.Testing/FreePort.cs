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
    // reservation older than 30 minutes is taken to belong to an earlier run. A process deletes its own
    // reservations as it exits, so the directory holds only those of processes still running (and of any killed).
    private static readonly PortReservations Reserved = new(Path.Combine(Path.GetTempPath(), "tiktokads-test-ports"), TimeSpan.FromMinutes(30));

    /// <summary>A loopback port free right now, outside the range the OS gives outgoing connections, and handed to no other test process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 256; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Span);
            if (IsFree(port) && Reserved.TryReserve(port))
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

/// <summary>
/// Ports reserved across processes: a file per port in <paramref name="directory"/>, created by the one process
/// that reserves it. One older than <paramref name="life"/> is an earlier run's, and one process takes it over.
/// </summary>
public sealed class PortReservations
{
    private readonly string _directory;
    private readonly TimeSpan _life;
    private readonly List<string> _mine = [];
    private readonly Lock _lock = new();

    public PortReservations(string directory, TimeSpan life)
    {
        (_directory, _life) = (directory, life);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAll();
    }

    public bool TryReserve(int port)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!TryCreate(path))
        {
            if (!File.Exists(path) || DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < _life)
            {
                return false;
            }
            // Left by an earlier run. Processes that find it stale at once race to move it aside; one move succeeds,
            // and that process creates the reservation anew unless another process has meanwhile created it.
            var aside = $"{path}.stale-{Environment.ProcessId}-{Guid.NewGuid():N}";
            try
            {
                File.Move(path, aside);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            // What was moved may be a fresh reservation that another process made after this one looked: it goes back.
            var moved = File.GetLastWriteTimeUtc(aside);
            if (DateTime.UtcNow - moved < _life)
            {
                try
                {
                    File.Move(aside, path);
                }
                catch (IOException)
                {
                    File.Delete(aside);
                }
                return false;
            }
            File.Delete(aside);
            if (!TryCreate(path))
            {
                return false;
            }
        }
        lock (_lock)
        {
            _mine.Add(path);
        }
        return true;
    }

    /// <summary>Deletes this process's reservations (done as it exits).</summary>
    public void ReleaseAll()
    {
        lock (_lock)
        {
            foreach (var path in _mine)
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // Gone or busy: a later run takes it over once it is old.
                }
            }
            _mine.Clear();
        }
    }

    private static bool TryCreate(string path)
    {
        try
        {
            using var created = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
