using TikTokAds.Contracts;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Gateway;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Node.Auth;

/// <summary>
/// Key → organizer, through the key's grain, cached briefly per node. A revoke is immediate on the node
/// that served it and at most <see cref="GatewayOptions.ApiKeyCacheTtl"/> late on the others.
/// </summary>
internal sealed class ApiKeyResolver(IGrainFactory grains, IMemoryCache cache, IOptions<GatewayOptions> options)
{
    public async Task<string?> ResolveAsync(string key)
    {
        if (!ApiKeys.LooksValid(key))
        {
            return null;
        }
        var hash = ApiKeys.Hash(key);
        if (cache.TryGetValue(CacheKey(hash), out string? organizerId))
        {
            return organizerId;
        }
        organizerId = await grains.ApiKey(hash).ResolveAsync();
        if (organizerId is not null && options.Value.ApiKeyCacheTtl > TimeSpan.Zero)
        {
            cache.Set(CacheKey(hash), organizerId, options.Value.ApiKeyCacheTtl);
        }
        return organizerId;
    }

    public void Forget(string keyHash) => cache.Remove(CacheKey(keyHash));

    private static string CacheKey(string hash) => "apikey:" + hash;
}
