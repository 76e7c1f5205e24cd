using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// The call-back client's connections. The host is resolved here, at send time, and dialled only when every
/// address it resolves to is public: a name that resolves (or is re-pointed, DNS rebinding) to loopback or a
/// private network gets no connection, whatever passed when the URL was saved.
/// </summary>
public static class CallbackConnections
{
    /// <summary>The call-back handler: no cookies, no redirects, no proxy, and the address check unless private addresses are allowed.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivateAddresses, CallbackHosts hosts)
    {
        // No proxy: through one, the address dialled would be the proxy's and the receiver's would go unchecked.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        if (!allowPrivateAddresses)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, hosts, cancellationToken);
        }
        return handler;
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CallbackHosts hosts, CancellationToken cancellationToken)
    {
        var addresses = await hosts.ResolveAsync(endPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
