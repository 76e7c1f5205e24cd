using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>
/// Call-back URLs point at organizers' own servers, so the service must not be usable to reach its own
/// network: https only, and no loopback, private or link-local address, unless an operator allows them.
/// </summary>
internal static class CallbackUrls
{
    public static string? Problem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "An absolute URL of at most 2,048 characters is required.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivate && uri.Scheme == Uri.UriSchemeHttp))
        {
            return "The call-back URL must use https.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Put credentials in signing_secret, not in the URL.";
        }
        if (allowPrivate)
        {
            return null;
        }
        var host = uri.IdnHost;
        if (host is "localhost" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            return "The call-back URL must be a public host.";
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IsPrivate(ip) ? "The call-back URL must not be a loopback, private or link-local address." : null;
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        }
        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] == 0;
    }
}
