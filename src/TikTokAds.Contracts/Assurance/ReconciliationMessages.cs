namespace TikTokAds.Contracts.Assurance;

/// <summary>
/// One UTC day and event name: events this service delivered, TikTok's server, browser and total counts,
/// the events TikTok received both ways and merged (overlap), and the gap (delivered − TikTok's server count).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationRow(
    DateOnly Day,
    string EventName,
    long Delivered,
    long TikTokServer,
    long TikTokBrowser,
    long TikTokTotal,
    long Overlap,
    long Gap,
    double GapRatio,
    bool Flagged,
    DateTimeOffset CheckedAt);

[GenerateSerializer, Immutable]
public sealed record ReconciliationSettings(double GapRatioThreshold, int MinGapEvents, int RecheckDays, int HourUtc);

[GenerateSerializer, Immutable]
public sealed record ReconciliationReport(
    string PixelId,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<ReconciliationRow> Rows,
    bool Flagged,
    DateTimeOffset? LastRunAt,
    int? LastErrorCode,
    string? LastError,
    ReconciliationSettings Settings);

[GenerateSerializer]
public enum ReconciliationOutcome
{
    Completed,
    NotConnected,
    TikTokRefused,
    TikTokUnavailable,
}

/// <summary>A run's outcome, TikTok's code and message when it failed, and the report after it.</summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationRun(ReconciliationOutcome Outcome, int TikTokCode, string Message, IReadOnlyList<DateOnly> SkippedDays, ReconciliationReport Report);

[GenerateSerializer, Immutable]
public sealed record ReconciliationFlag(bool Flagged, IReadOnlyList<ReconciliationRow> Rows, DateTimeOffset? LastRunAt);
