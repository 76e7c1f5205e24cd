using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Sends exact bytes on a fresh TCP connection and reads until the server closes it. Every raw request carries
/// "Connection: close", so a well-behaved server answers once and closes; no close within the timeout is a hang.
/// </summary>
internal static partial class RawHttp
{
    /// <summary>What came back: the status codes of every response on the connection, and how the connection ended.</summary>
    public sealed record Answer(IReadOnlyList<int> Statuses, string Ending, string Excerpt);

    public static async Task<Answer> SendAsync(int port, byte[] request, bool halfClose, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        string ending;
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cts.Token);
            await socket.SendAsync(request, SocketFlags.None, cts.Token);
            if (halfClose)
            {
                // The body is shorter than announced: tell the server no more bytes will come.
                socket.Shutdown(SocketShutdown.Send);
            }
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
            ending = "closed";
        }
        catch (OperationCanceledException)
        {
            ending = "timeout";
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            ending = "reset";
        }
        catch (SocketException e)
        {
            ending = "socket " + e.SocketErrorCode;
        }
        var text = Encoding.Latin1.GetString(received.ToArray());
        var statuses = StatusLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new Answer(statuses, ending, Excerpt(text));
    }

    /// <summary>A request with the given head lines and body; Host and Connection: close are added unless the head has its own.</summary>
    public static byte[] Build(string requestLine, IEnumerable<string> headers, byte[]? body = null, bool addHost = true)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        var list = headers.ToList();
        if (addHost && !list.Any(h => h.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: 127.0.0.1\r\n");
        }
        if (!list.Any(h => h.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Connection: close\r\n");
        }
        foreach (var header in list)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>The status line and the body: the headers are Kestrel's usual ones and would drown the finding.</summary>
    private static string Excerpt(string response)
    {
        var lineEnd = response.IndexOf("\r\n", StringComparison.Ordinal);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var excerpt = lineEnd < 0 || bodyStart < 0 ? response : $"{response[..lineEnd]} | {response[(bodyStart + 4)..]}";
        return excerpt.Length > 600 ? excerpt[..600] : excerpt;
    }

    [GeneratedRegex(@"(?:^|\r\n)HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLine();
}
