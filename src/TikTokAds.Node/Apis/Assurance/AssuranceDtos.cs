using TikTokAds.Contracts.Assurance;

namespace TikTokAds.Node.Apis.Assurance;

/// <summary>
/// A pixel's reconciliation: per UTC day (of the events' event_time) and event name, what this service
/// delivered against TikTok's counts, the gap and whether it is flagged.
/// </summary>
public sealed record ReconciliationResponse(
    string PixelId,
    DateOnly From,
    DateOnly To,
    string DayBasis,
    bool Flagged,
    DateTimeOffset? LastRunAt,
    int? LastErrorCode,
    string? LastError,
    ReconciliationThresholds Settings,
    IReadOnlyList<ReconciliationRowResponse> Rows,
    IReadOnlyList<DateOnly>? SkippedDays = null)
{
    public const string EventTimeUtc = "event_time_utc";

    public static ReconciliationResponse Of(ReconciliationReport r, IReadOnlyList<DateOnly>? skippedDays = null) => new(
        r.PixelId, r.From, r.To, EventTimeUtc, r.Flagged, r.LastRunAt, r.LastErrorCode, r.LastError,
        new ReconciliationThresholds(r.Settings.GapRatioThreshold, r.Settings.MinGapEvents, r.Settings.RecheckDays, r.Settings.HourUtc),
        [.. r.Rows.Select(x => new ReconciliationRowResponse(x.Day, x.EventName, x.Delivered, x.TikTokServer, x.TikTokBrowser, x.TikTokTotal, x.Overlap, x.Gap, x.GapRatio, x.Flagged, x.CheckedAt))],
        skippedDays);
}

public sealed record ReconciliationThresholds(double GapRatioThreshold, int MinGapEvents, int RecheckDays, int DailyRunHourUtc);

public sealed record ReconciliationRowResponse(
    DateOnly Day,
    string EventName,
    long Delivered,
    long TiktokServer,
    long TiktokBrowser,
    long TiktokTotal,
    long Overlap,
    long Gap,
    double GapRatio,
    bool Flagged,
    DateTimeOffset CheckedAt);

/// <summary>Match-key coverage per event name over the window; estimated_score is our estimate (see score_note).</summary>
public sealed record MatchQualityResponse(
    string PixelId,
    int Hours,
    DateTimeOffset From,
    DateTimeOffset To,
    MatchQualityRow Overall,
    IReadOnlyList<MatchQualityRow> EventTypes,
    IReadOnlyList<CoverageWarning> Warnings,
    IReadOnlyDictionary<string, double> ScoreWeights,
    string ScoreNote)
{
    public static MatchQualityResponse Of(MatchQualityReport r, TimeSpan window)
        => new(r.PixelId, (int)window.TotalHours, r.From, r.To, r.Overall, r.EventTypes, r.Warnings, r.ScoreWeights, r.ScoreNote);
}
