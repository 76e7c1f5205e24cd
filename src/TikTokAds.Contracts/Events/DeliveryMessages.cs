namespace TikTokAds.Contracts.Events;

/// <summary>Which dead letters to list or replay; every filter is optional. BeforeSeq pages backwards.</summary>
[GenerateSerializer, Immutable]
public sealed record DeadLetterQuery(
    int? Code = null,
    string? EventName = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<string>? EventIds = null,
    long? BeforeSeq = null,
    int Limit = 100);

/// <summary>An event TikTok refused for good (or that a disconnect stranded), hashed data only.</summary>
[GenerateSerializer, Immutable]
public sealed record DeadLetterView(
    long Seq,
    string EventId,
    string EventName,
    string EventSource,
    int Code,
    string Message,
    string? RequestId,
    DateTimeOffset AcceptedAt,
    DateTimeOffset FailedAt,
    DateTimeOffset EventTime,
    int Attempts,
    int Replays,
    string? Payload);

/// <summary>Replays the dead letters a query selects; events older than TikTok takes are refused with the reason.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplayRequest(DeadLetterQuery Selection, TimeSpan MaxWebEventAge, TimeSpan MaxOfflineEventAge);

[GenerateSerializer, Immutable]
public sealed record ReplayRefusal(string EventId, string EventName, string Reason);

/// <summary>What a replay did: events queued again under their original event_id, those refused, ids that are no dead letter.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplayResult(IReadOnlyList<string> Replayed, IReadOnlyList<ReplayRefusal> Refused, IReadOnlyList<string> NotFound);

/// <summary>Which of a pixel's recent TikTok requests to list. Outcome is success, throttled, invalid_request, authorization or transient.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestLogQuery(
    string? Outcome = null,
    string? EventName = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int Limit = 100,
    bool IncludeBody = false);

/// <summary>One request sent to TikTok for a pixel. Body is the exact JSON sent (hashed data only), when asked for and still kept.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestLogView(
    long Id,
    DateTimeOffset SentAt,
    string Outcome,
    int Code,
    string Message,
    string? RequestId,
    double LatencyMs,
    int EventCount,
    IReadOnlyList<string> EventNames,
    string EventSource,
    string? TestEventCode,
    string? Body);
