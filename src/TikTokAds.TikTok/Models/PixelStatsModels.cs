namespace TikTokAds.TikTok.Models;

/// <summary>date_range of GET /pixel/event/stats/: UTC dates (YYYY-MM-DD), at most 30 days.</summary>
public sealed record StatsDateRange(string StartDate, string EndDate);

/// <summary>data of GET /pixel/event/stats/: one item per pixel asked for.</summary>
public sealed record PixelEventStatsList(IReadOnlyList<PixelEventStats>? List);

public sealed record PixelEventStats(string? PixelId, IReadOnlyList<PixelEventTypeStats>? Statistics);

/// <summary>
/// TikTok's counts of one event type over the whole date range. pixel_event_type is set for standard
/// events, custom_event_type for custom ones; total_count is browser plus server (after deduplication).
/// </summary>
public sealed record PixelEventTypeStats
{
    public string? PixelEventType { get; init; }
    public string? CustomEventType { get; init; }
    public long AttributedCount { get; init; }
    public long PreviewCount { get; init; }
    public long TotalCount { get; init; }
    public long BrowserEventTotalCount { get; init; }
    public long ServerEventTotalCount { get; init; }

    /// <summary>The event's name, whichever of the two fields carries it.</summary>
    public string? EventName => PixelEventType is { Length: > 0 } standard ? standard : CustomEventType;
}
