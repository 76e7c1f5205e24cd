using System.Net;
using System.Net.Sockets;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// Which IP addresses a call-back may reach: only public unicast ones. Checked when a call-back URL is saved (for
/// address literals) and again for every address its host resolves to when a lead is sent, so that no spelling
/// of an address and no DNS answer lets an organizer make this service call its own network.
/// </summary>
public static class CallbackAddresses
{
    /// <summary>Null for a public address; otherwise what kind of address it is, for the error message.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return V4(address.GetAddressBytes());
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }
        var b = address.GetAddressBytes();
        // Forms that carry an IPv4 address are judged by it: otherwise [::ffff:127.0.0.1] or [64:ff9b::7f00:1]
        // would reach loopback through a v4-mapped socket or a NAT64 gateway.
        if (address.IsIPv4MappedToIPv6)
        {
            return V4(b[12..]) is { } mapped ? $"{mapped} (IPv4-mapped)" : null;
        }
        if (b[..12].All(x => x == 0))
        {
            // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d, which nothing public uses.
            return IPAddress.IsLoopback(address) ? "loopback" : "unspecified or IPv4-compatible";
        }
        if (Prefix(b, 0x00, 0x64, 0xff, 0x9b) && b[4..12].All(x => x == 0))
        {
            // 64:ff9b::/96, the well-known NAT64 prefix: public when the IPv4 address it translates to is.
            return V4(b[12..]) is { } nat64 ? $"{nat64} (NAT64)" : null;
        }
        if (Prefix(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01))
        {
            return "local-use NAT64 (64:ff9b:1::/48)";
        }
        if (Prefix(b, 0x20, 0x02))
        {
            // 6to4 (2002::/16) embeds the IPv4 address of its relay.
            return V4(b[2..6]) is { } sixToFour ? $"{sixToFour} (6to4)" : null;
        }
        if (Prefix(b, 0x20, 0x01, 0x00, 0x00))
        {
            // Teredo hides the client's IPv4 address (XOR-ed) and is deprecated: refused outright.
            return "Teredo";
        }
        if (Prefix(b, 0x20, 0x01, 0x0d, 0xb8))
        {
            return "documentation";
        }
        if (Prefix(b, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00))
        {
            return "discard-only";
        }
        return (b[0] & 0xfe) == 0xfc ? "unique local (private)"
            : b[0] == 0xfe && (b[1] & 0xc0) == 0x80 ? "link-local"
            : b[0] == 0xfe && (b[1] & 0xc0) == 0xc0 ? "site-local"
            : b[0] == 0xff ? "multicast"
            : null;
    }

    private static string? V4(byte[] b) => b switch
    {
        [0, ..] => "this network (0.0.0.0/8)",
        [10, ..] => "private",
        [100, >= 64 and <= 127, ..] => "shared address space (100.64.0.0/10)",
        [127, ..] => "loopback",
        [169, 254, ..] => "link-local",
        [172, >= 16 and <= 31, ..] => "private",
        [192, 0, 0, _] => "IETF protocol assignments (192.0.0.0/24)",
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => "documentation",
        [192, 168, ..] => "private",
        [198, 18 or 19, ..] => "benchmarking (198.18.0.0/15)",
        [>= 224 and <= 239, ..] => "multicast",
        [>= 240, ..] => "reserved or broadcast",
        _ => null,
    };

    private static bool Prefix(byte[] address, params ReadOnlySpan<byte> prefix) => address.AsSpan().StartsWith(prefix);
}
