namespace TikTokAds.Contracts.Segments;

/// <summary>
/// Who a segment wants: buyers with at least MinEvents qualifying events or at least MinValue in total (in
/// Currency) within the last LookbackDays. Identifiers are "email" and/or "phone". Validated by the gateway.
/// Field order is the serializer's field ids: append, never reorder.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SegmentDefinition(
    string Name,
    IReadOnlyList<string> EventNames,
    int LookbackDays,
    int? MinEvents,
    decimal? MinValue,
    string? Currency,
    IReadOnlyList<string> ContentIds,
    IReadOnlyList<string> Identifiers,
    string? AdvertiserId,
    string? AudienceId,
    string Schedule,
    int HourUtc);

/// <summary>Buyers who qualify (Total), those with an identifier the segment uses (Valid), and the identifiers sent (Members).</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentSize(int Total, int Valid, int Members);

[GenerateSerializer, Immutable]
public sealed record SegmentRunView(
    long RunId,
    string Trigger,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Total,
    int Valid,
    int Members,
    int Added,
    int Removed,
    string? Error);

[GenerateSerializer, Immutable]
public sealed record SegmentView(
    string Id,
    SegmentDefinition Definition,
    string AudienceId,
    string AdvertiserId,
    SegmentSize Size,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextRunAt,
    IReadOnlyList<SegmentRunView> Runs);

[GenerateSerializer]
public enum SegmentOutcome
{
    Saved,
    NotFound,
    AudienceNotFound,
    AdvertiserMismatch,
    AudienceRefused,
}

/// <summary>For AudienceRefused, the audience's own outcome and TikTok's code say why.</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentResult(SegmentOutcome Outcome, SegmentView? Segment, string Message, Audiences.AudienceOutcome? AudienceOutcome = null, int Code = 0);

public static class SegmentSchedules
{
    public const string Instant = "instant";
    public const string Daily = "daily";
}

public static class SegmentRunStatuses
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
