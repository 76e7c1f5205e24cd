using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TikTokAds.Node.Extensions;

/// <summary>Turns the address a server listens on into one that a process on this machine can dial.</summary>
public static class ListeningAddress
{
    private static readonly string[] Wildcards = ["://+", "://*", "://0.0.0.0", "://[::]"];

    /// <summary>
    /// The server's first listening address with any wildcard host replaced by loopback and no trailing slash,
    /// or null before the server listens. A wildcard binding says nothing another process can dial; loopback is
    /// right for local clusters, and containers configure their advertised address instead.
    /// </summary>
    public static string? FirstDialable(IServer? server)
        => server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } listening
            ? Dialable(listening)
            : null;

    public static string Dialable(string listening)
    {
        foreach (var wildcard in Wildcards)
        {
            listening = listening.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }
        return listening.TrimEnd('/');
    }
}
