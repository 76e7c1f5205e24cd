using System.Globalization;
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
    // (seen once, in the forty-third pass). A port is handed out only by the process that reserves it here.
    private static readonly PortReservations Reserved = new(Path.Combine(Path.GetTempPath(), "tiktokads-test-ports"));

    /// <summary>A loopback port free right now, outside the range the OS gives outgoing connections, and handed to no other test process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 256; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Span);
            if (!IsFree(port))
            {
                continue;
            }
            var reserved = TryReserve(port);
            if (reserved is null)
            {
                break;
            }
            if (reserved.Value)
            {
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether this process reserved the port; null when the reservations cannot be used at all (an OS-chosen port serves instead).</summary>
    private static bool? TryReserve(int port)
    {
        try
        {
            return Reserved.TryReserve(port);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            return null;
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

/// <summary>
/// Ports reserved across processes: a file per port in <paramref name="directory"/> naming the process that holds it.
/// Every reservation and release, in any process, runs under the directory's lock (an exclusive lock on its ".lock"
/// file, which the system drops when its holder exits or is killed), so checking a port and taking it are one step.
/// A reservation whose process has gone is free; a process deletes its own as it exits.
/// </summary>
public sealed class PortReservations
{
    private readonly string _directory;
    private readonly List<int> _mine = [];
    private readonly TimeSpan _lockTimeout;

    /// <param name="lockTimeout">Held this long by another holder, the directory counts as unusable (10 s unless given).</param>
    public PortReservations(string directory, TimeSpan? lockTimeout = null)
    {
        _directory = directory;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(10);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAtExit();
    }

    /// <summary>Reserves the port unless a running process holds it.</summary>
    /// <exception cref="TimeoutException">The directory stayed locked for the lock timeout.</exception>
    public bool TryReserve(int port)
    {
        using var locked = LockDirectory();
        var path = PathOf(port);
        if (HolderOf(path) is { } holder && IsRunning(holder))
        {
            return false;
        }
        File.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        // The directory's lock already orders this process's threads (each open of the lock file is locked on its
        // own); this lock keeps the list safe should file locking ever be turned off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING).
        lock (_mine)
        {
            _mine.Add(port);
        }
        return true;
    }

    /// <summary>Deletes this instance's reservations (done as the process exits).</summary>
    public void ReleaseAll()
    {
        lock (_mine)
        {
            if (_mine.Count == 0 || !Directory.Exists(_directory))
            {
                _mine.Clear();
                return;
            }
        }
        using var locked = LockDirectory();
        lock (_mine)
        {
            // While this process runs no other takes its reservations (their holder runs), so each file is still its own.
            foreach (var port in _mine)
            {
                File.Delete(PathOf(port));
            }
            _mine.Clear();
        }
    }

    // An exit must not fail or hang on the reservations: what is left behind is freed once this process has gone.
    private void ReleaseAtExit()
    {
        try
        {
            ReleaseAll();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
        }
    }

    private string PathOf(int port) => Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture));

    private static int? HolderOf(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The directory's lock: .NET takes an exclusive advisory lock (flock) on a file opened with FileShare.None, and
    /// a second open of it, in this process or another, fails until the first is closed.
    /// </summary>
    private FileStream LockDirectory()
    {
        for (var deadline = DateTime.UtcNow + _lockTimeout; ; Thread.Sleep(1))
        {
            try
            {
                Directory.CreateDirectory(_directory);
                return new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Held by another holder (or the directory went away in between): again.
            }
            catch (IOException e)
            {
                throw new TimeoutException($"The port reservations in {_directory} stayed locked or unusable for {_lockTimeout.TotalSeconds:0.#} s.", e);
            }
        }
    }
}
