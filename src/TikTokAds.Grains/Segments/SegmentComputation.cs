using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

/// <summary>A definition evaluated over the organizer's stored buyer facts.</summary>
internal static class SegmentComputation
{
    public static async Task<SegmentMembers> ComputeAsync(IBuyerFactStore store, string organizerId, SegmentDefinition definition, DateTimeOffset now, CancellationToken cancellationToken)
        => SegmentRule.Select(definition, await store.BuyerTotalsAsync(organizerId, definition, SegmentRule.Since(definition, now), cancellationToken));
}
