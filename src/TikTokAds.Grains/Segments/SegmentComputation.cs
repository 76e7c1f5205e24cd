using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

/// <summary>A definition evaluated over the organizer's stored buyer facts.</summary>
internal static class SegmentComputation
{
    public static async Task<SegmentMembers> ComputeAsync(IBuyerFactStore store, string organizerId, SegmentDefinition definition, DateTimeOffset now, CancellationToken cancellationToken)
        => SegmentRule.Evaluate(definition, await store.QueryAsync(organizerId, definition.EventNames, SegmentRule.Since(definition, now), cancellationToken), now);
}
