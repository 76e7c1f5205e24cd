using System.Net;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// Resolves a call-back's host and judges what it resolves to: every address must be a public one
/// (<see cref="CallbackAddresses"/>). One refused address refuses the host, so a name that mixes a public and
/// a private answer cannot be used to reach the private one when the public one fails.
/// </summary>
public sealed class CallbackHosts(Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    /// <summary>The operating system's resolver.</summary>
    public static CallbackHosts System { get; } = new((host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken));

    /// <summary>
    /// The addresses a call-back to <paramref name="host"/> may dial. Throws <see cref="CallbackAddressRefusedException"/>
    /// when it may dial none; a name that does not resolve fails as the resolver fails (a SocketException).
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        if (host.EndsWith('.'))
        {
            // "localhost." is localhost: a trailing dot only dodges name checks, and no receiver needs one.
            throw new CallbackAddressRefusedException($"The call-back host {host} ends with a dot.");
        }
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolve(host, cancellationToken);
        var refused = addresses.Where(a => CallbackAddresses.Refusal(a) is not null).ToArray();
        if (addresses.Length == 0 || refused.Length > 0)
        {
            throw new CallbackAddressRefusedException(addresses.Length == 0
                ? $"The call-back host {host} resolves to no address."
                : $"The call-back host {host} resolves to addresses call-backs may not reach: {string.Join(", ", refused.Select(a => $"{a} ({CallbackAddresses.Refusal(a)})"))}.");
        }
        return addresses;
    }
}
