namespace TikTokAds.Grains.Leads;

public sealed record LeadRouterState
{
    public IReadOnlyList<LeadRouteEntry> Entries { get; init; } = [];
}

/// <summary>One organizer's claim on an advertiser's leads; PageId null claims every page.</summary>
public sealed record LeadRouteEntry(string OrganizerId, string? PageId);
