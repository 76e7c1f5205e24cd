namespace TikTokAds.Contracts.Assurance;

/// <summary>
/// One event name (or "*" for all) over the window: how many events, the share (0 to 1) carrying each match
/// key, our estimated score (0 to 10), and the same for the window before.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MatchQualityRow(
    string EventName,
    long Events,
    IReadOnlyDictionary<string, double> Coverage,
    double EstimatedScore,
    long PreviousEvents,
    IReadOnlyDictionary<string, double> PreviousCoverage);

/// <summary>A key whose share fell by at least the threshold from the previous window to this one.</summary>
[GenerateSerializer, Immutable]
public sealed record CoverageWarning(string EventName, string Key, double PreviousShare, double CurrentShare, string Message);

[GenerateSerializer, Immutable]
public sealed record MatchQualityReport(
    string PixelId,
    DateTimeOffset From,
    DateTimeOffset To,
    MatchQualityRow Overall,
    IReadOnlyList<MatchQualityRow> EventTypes,
    IReadOnlyList<CoverageWarning> Warnings,
    IReadOnlyDictionary<string, double> ScoreWeights,
    string ScoreNote);
