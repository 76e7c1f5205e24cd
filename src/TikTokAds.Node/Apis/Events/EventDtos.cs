using System.Text.Json;

namespace TikTokAds.Node.Apis.Events;

// The bodies the gateway reads are records with settable properties, not positional records (nor init-only
// properties, which the source generator also sets through a constructor call): System.Text.Json then reads each
// value straight into its property, instead of gathering every argument first for its slower converter.

/// <summary>The seed's event body (POST /events), with the additions of the events issue.</summary>
public sealed record EventBody
{
    public string? EventType { get; set; }
    public EventTime? EventTime { get; set; }
    public string? EventId { get; set; }
    public string? PixelId { get; set; }
    public string? EventSource { get; set; }
    public EventUser? User { get; set; }
    public EventProperties? Properties { get; set; }
    public EventContext? Context { get; set; }
    public EventConsent? Consent { get; set; }
    public string? OrderId { get; set; }
    public string? Query { get; set; }
    public string? LeadId { get; set; }
    public string? LeadEventSource { get; set; }
}

public sealed record EventUser
{
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? ExternalId { get; set; }
}

public sealed record EventProperties
{
    public decimal? Value { get; set; }
    public string? Currency { get; set; }
    public string? ContentType { get; set; }
    public IReadOnlyList<EventContent?>? Contents { get; set; }
    public int? NumItems { get; set; }
    public string? Description { get; set; }
    public string? Query { get; set; }
}

public sealed record EventContent
{
    public string? ContentId { get; set; }
    public string? ContentName { get; set; }
    public string? ContentCategory { get; set; }
    public decimal? Price { get; set; }
    public int? Quantity { get; set; }
    public string? Brand { get; set; }
}

public sealed record EventContext
{
    public string? PageUrl { get; set; }
    public string? Referrer { get; set; }
    public string? UserAgent { get; set; }
    public string? Ip { get; set; }
    public string? Ttclid { get; set; }
    public string? Ttp { get; set; }
    public string? Locale { get; set; }
}

/// <summary>GDPR: only events with granted consent go to TikTok.</summary>
public sealed record EventConsent
{
    public bool? Granted { get; set; }
    public bool? LimitedDataUse { get; set; }
}

public sealed record EventBatchBody
{
    public IReadOnlyList<EventBody?>? Events { get; set; }
}

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

/// <summary>Which dead letters to replay: event_ids, or filters (code, event_name, from, to); limit caps how many.</summary>
public sealed record ReplayBody(IReadOnlyList<string>? EventIds, int? Code, string? EventName, DateTimeOffset? From, DateTimeOffset? To, int? Limit);

public sealed record ReplayRefusalResponse(string EventId, string EventName, string Reason);

public sealed record ReplayResponse(int Replayed, IReadOnlyList<string> EventIds, IReadOnlyList<ReplayRefusalResponse> Refused, IReadOnlyList<string> NotFound);

/// <summary>A dead letter: TikTok's code, message and request_id, and the hashed payload when include_payload=true.</summary>
public sealed record DeadLetterResponse(
    string EventId, string EventName, string EventSource, int Code, string Message, string? RequestId,
    DateTimeOffset AcceptedAt, DateTimeOffset FailedAt, DateTimeOffset EventTime, int Attempts, int Replays, JsonElement? Payload)
{
    public static DeadLetterResponse From(Contracts.Events.DeadLetterView d) => new(
        d.EventId, d.EventName, d.EventSource, d.Code, d.Message, d.RequestId, d.AcceptedAt, d.FailedAt, d.EventTime, d.Attempts, d.Replays,
        d.Payload is null ? null : JsonDocument.Parse(d.Payload).RootElement.Clone());
}

/// <summary>A page of dead letters; next_before continues the listing.</summary>
public sealed record DeadLettersResponse(IReadOnlyList<DeadLetterResponse> DeadLetters, long? NextBefore);

/// <summary>One request to TikTok; body is the exact JSON sent (hashed data only), when asked for.</summary>
public sealed record RequestResponse(
    long Id, DateTimeOffset SentAt, string Outcome, int Code, string Message, string? RequestId, double LatencyMs,
    int EventCount, IReadOnlyList<string> EventNames, string EventSource, string? TestEventCode, JsonElement? Body)
{
    public static RequestResponse From(Contracts.Events.RequestLogView r) => new(
        r.Id, r.SentAt, r.Outcome, r.Code, r.Message, r.RequestId, r.LatencyMs, r.EventCount, r.EventNames, r.EventSource, r.TestEventCode,
        r.Body is null ? null : JsonDocument.Parse(r.Body).RootElement.Clone());
}

/// <summary>A page of requests; next_before continues the listing.</summary>
public sealed record RequestsResponse(IReadOnlyList<RequestResponse> Requests, long? NextBefore);
