namespace TikTokAds.Node.Apis.Segments;

/// <summary>A segment's definition as the organizer writes it (create, change and preview).</summary>
public sealed record SegmentBody(
    string? Name,
    IReadOnlyList<string?>? EventNames,
    int? LookbackDays,
    int? MinEvents,
    decimal? MinValue,
    string? Currency,
    IReadOnlyList<string?>? ContentIds,
    IReadOnlyList<string?>? Identifiers,
    string? AdvertiserId,
    string? AudienceId,
    string? Schedule,
    int? HourUtc);

/// <summary>Buyers who qualify, those with an identifier the segment uses, and the identifiers that go to TikTok.</summary>
public sealed record SegmentSizeResponse(int Total, int Valid, int Members);

public sealed record SegmentRunResponse(long RunId, string Trigger, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Total, int Valid, int Members, int Added, int Removed, string? Error);

public sealed record SegmentResponse(
    string Id,
    string Name,
    IReadOnlyList<string> EventNames,
    int LookbackDays,
    int? MinEvents,
    decimal? MinValue,
    string? Currency,
    IReadOnlyList<string> ContentIds,
    IReadOnlyList<string> Identifiers,
    string AdvertiserId,
    string AudienceId,
    string Schedule,
    int? HourUtc,
    SegmentSizeResponse Size,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextRunAt,
    IReadOnlyList<SegmentRunResponse> Runs);

public sealed record BuyerDataDeleted(long Deleted);
