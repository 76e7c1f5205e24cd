using TikTokAds.Contracts.Assurance;

namespace TikTokAds.Grains.Assurance;

/// <summary>A pixel's reconciliation results (counts only, never event data) and its daily schedule.</summary>
public sealed record ReconciliationState
{
    public IReadOnlyList<ReconciliationRow> Rows { get; init; } = [];
    public DateTimeOffset? LastRunAt { get; init; }
    public int? LastErrorCode { get; init; }
    public string? LastError { get; init; }

    /// <summary>TikTok's pixel_id for the pixel code, as pixel/list gave it for the advertiser.</summary>
    public TikTokPixelRef? TikTokPixel { get; init; }

    public bool ReminderActive { get; init; }
}

/// <summary>The numeric pixel_id TikTok's stats take, for the pixel code under one advertiser.</summary>
public sealed record TikTokPixelRef(string AdvertiserId, string PixelId);
