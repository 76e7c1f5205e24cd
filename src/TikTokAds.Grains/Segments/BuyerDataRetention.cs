namespace TikTokAds.Grains.Segments;

/// <summary>One purge of buyer facts past each organizer's retention.</summary>
public static class BuyerDataRetention
{
    public static Task<long> PurgeAsync(IBuyerFactStore store, SegmentOptions options, DateTimeOffset now, CancellationToken cancellationToken)
        => store.PurgeAsync(now - options.BuyerDataRetention, options.RetentionOverrides.ToDictionary(o => o.Key, o => now - o.Value, StringComparer.Ordinal), cancellationToken);
}
