using System.Net;
using System.Net.Sockets;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>
/// Call-back URLs point at organizers' own servers, so the service must not be usable to reach its own
/// network: https only, and no loopback, private or link-local host, unless an operator allows them. A name is
/// resolved when the URL is saved and again when a lead is sent (<see cref="CallbackConnections"/>), since what
/// it resolves to may change; this tells the organizer early.
/// </summary>
internal static class CallbackUrls
{
    // Names that resolve to whatever address they spell (127.0.0.1.nip.io): never an organizer's own server.
    private static readonly string[] WildcardDnsDomains = ["nip.io", "sslip.io", "xip.io", "localtest.me", "lvh.me"];

    private static readonly string[] InternalSuffixes = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan"];

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
        if (IPAddress.TryParse(uri.DnsSafeHost, out var ip))
        {
            return CallbackAddresses.Refusal(ip) is { } kind ? $"The call-back URL must be a public address, not {ip}: {kind}." : null;
        }
        var host = uri.IdnHost.ToLowerInvariant();
        if (host.EndsWith('.'))
        {
            // "localhost." is localhost: a trailing dot only dodges name checks, and no receiver needs one.
            return "The call-back host must not end with a dot.";
        }
        if (!host.Contains('.') || InternalSuffixes.Any(s => Is(host, s)))
        {
            return "The call-back URL must be a public host.";
        }
        return WildcardDnsDomains.Any(d => Is(host, d)) ? "The call-back host must not be a wildcard-DNS name (such as nip.io), which resolves to any address it spells." : null;
    }

    /// <summary>
    /// <see cref="Problem"/>, then what the host resolves to now, so that a name pointing at a private network
    /// (127.0.0.1.nip.io, or an organizer's own record) is refused when saved. A name that does not resolve
    /// within <paramref name="timeout"/> is taken: it gets no connection until it resolves to public addresses.
    /// </summary>
    public static async Task<string?> ProblemAsync(string? url, bool allowPrivate, CallbackHosts hosts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var problem = Problem(url, allowPrivate);
        if (problem is not null || allowPrivate)
        {
            return problem;
        }
        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lookup.CancelAfter(timeout);
        try
        {
            await hosts.ResolveAsync(new Uri(url!).IdnHost, lookup.Token);
            return null;
        }
        catch (CallbackAddressRefusedException refused)
        {
            return refused.Message;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool Is(string host, string domain) => host == domain || host.EndsWith($".{domain}", StringComparison.Ordinal);
}
