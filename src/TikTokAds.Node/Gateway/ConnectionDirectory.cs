using TikTokAds.Contracts;
using Microsoft.Extensions.Caching.Memory;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// An organizer's connections (no tokens), cached briefly per node so that ingest makes one grain call,
/// to the pixel. Changes made through this node are seen at once; elsewhere within <see cref="Ttl"/>.
/// </summary>
internal sealed class ConnectionDirectory(IGrainFactory grains, IMemoryCache cache)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<ConnectionView>> GetAsync(string organizerId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(Key(organizerId), out IReadOnlyList<ConnectionView>? connections))
        {
            return connections!;
        }
        connections = await grains.Organizer(organizerId).GetConnectionsAsync();
        cache.Set(Key(organizerId), connections, Ttl);
        return connections;
    }

    /// <summary>Whether the organizer has this pixel connected: the one check before any per-pixel route reaches a grain.</summary>
    public async Task<bool> IsConnectedAsync(string organizerId, string pixelId, CancellationToken cancellationToken = default)
        => (await GetAsync(organizerId, cancellationToken)).Any(c => c.PixelId == pixelId);

    public void Forget(string organizerId) => cache.Remove(Key(organizerId));

    private static string Key(string organizerId) => "connections:" + organizerId;
}
