using System.Text.Json;

namespace TikTokAds.Node.Apis.Events;

/// <summary>The seed's event body (POST /events), with the additions of the events issue.</summary>
public sealed record EventBody(
    string? EventType,
    JsonElement? EventTime,
    string? EventId,
    string? PixelId,
    string? EventSource,
    EventUser? User,
    EventProperties? Properties,
    EventContext? Context,
    EventConsent? Consent,
    string? OrderId,
    string? Query,
    string? LeadId,
    string? LeadEventSource);

public sealed record EventUser(string? Email, string? Phone, string? ExternalId);

public sealed record EventProperties(decimal? Value, string? Currency, string? ContentType, IReadOnlyList<EventContent>? Contents, int? NumItems, string? Description, string? Query);

public sealed record EventContent(string? ContentId, string? ContentName, string? ContentCategory, decimal? Price, int? Quantity, string? Brand);

public sealed record EventContext(string? PageUrl, string? Referrer, string? UserAgent, string? Ip, string? Ttclid, string? Ttp, string? Locale);

/// <summary>GDPR: only events with granted consent go to TikTok.</summary>
public sealed record EventConsent(bool? Granted, bool? LimitedDataUse);

public sealed record EventBatchBody(IReadOnlyList<EventBody?>? Events);

/// <summary>The seed's answer: success, event_id, code, message; status says what happened.</summary>
public sealed record EventResult(bool Success, string? EventId, int Code, string Message, string Status, string? RequestId = null);

public sealed record BatchItemResult(int Index, bool Success, string? EventId, int Code, string Message, string Status);

public sealed record BatchResult(bool Success, int Accepted, int Duplicates, int Skipped, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record EventStatusResponse(string EventId, string PixelId, IReadOnlyList<EventStatusItem> Events);

public sealed record EventStatusItem(
    string EventType,
    string EventSource,
    string Status,
    string? Reason,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt,
    string? RequestId,
    int? Code,
    string? Message,
    int Attempts,
    string? TraceId);

public sealed record PixelStatusResponse(
    string PixelId,
    bool Connected,
    int BufferDepth,
    int BudgetLeftToday,
    int EventsPerDay,
    int RequestsPerSecond,
    DateTimeOffset? LastFlushAt,
    string? LastError,
    DateTimeOffset? LastEventSent,
    DateTimeOffset? BackoffUntil,
    IReadOnlyDictionary<string, long> Counts);
