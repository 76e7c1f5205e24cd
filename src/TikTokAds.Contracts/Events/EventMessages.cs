namespace TikTokAds.Contracts.Events;

/// <summary>
/// An event as the gateway hands it over: validated, with personal data already hashed. SkipReason is
/// set for events that must not reach TikTok (no consent, or a kind the connection does not track).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PixelEvent(string EventName, string EventId, string EventSource, EventPayload Payload, string? SkipReason, string? TraceId = null);

/// <summary>Status: accepted, duplicate, skipped, delivered or failed; Code and Message follow the seed (0 = OK).</summary>
[GenerateSerializer, Immutable]
public sealed record EventOutcome(string EventId, string Status, int Code, string Message, string? RequestId = null);

[GenerateSerializer, Immutable]
public sealed record EventStatusView(
    string EventId,
    string EventName,
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

[GenerateSerializer, Immutable]
public sealed record PixelStatusView(
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
    IReadOnlyDictionary<string, long> Counts,
    string HostedOn);
