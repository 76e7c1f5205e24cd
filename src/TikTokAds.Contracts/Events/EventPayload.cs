namespace TikTokAds.Contracts.Events;

/// <summary>
/// One event as the gateway validated it, personal data already SHA-256 hashed. It says what happened, not
/// how TikTok wants it written: the pixel grain maps it to the Events API body when it stores it.
/// Field order is the serializer's field ids: append, never reorder.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EventPayload(
    string Event,
    long EventTime,
    string? EventId,
    EventUserData? User,
    EventPropertyData? Properties,
    EventPageData? Page,
    EventLeadData? Lead,
    bool? LimitedDataUse);

/// <summary>EmailSha256, PhoneSha256 and ExternalIdSha256 are hashes; the rest travel as they came.</summary>
[GenerateSerializer, Immutable]
public sealed record EventUserData(
    string? EmailSha256,
    string? PhoneSha256,
    string? ExternalIdSha256,
    string? Ttclid,
    string? Ttp,
    string? Ip,
    string? UserAgent,
    string? Locale);

[GenerateSerializer, Immutable]
public sealed record EventPropertyData(
    IReadOnlyList<EventContentData>? Contents,
    string? ContentType,
    string? Currency,
    decimal? Value,
    string? OrderId,
    string? Query,
    string? Description,
    int? NumItems);

[GenerateSerializer, Immutable]
public sealed record EventContentData(string? ContentId, string? ContentName, string? ContentCategory, decimal? Price, int? Quantity, string? Brand);

[GenerateSerializer, Immutable]
public sealed record EventPageData(string? Url, string? Referrer);

/// <summary>A CRM event's lead: TikTok's lead id and where the lead was worked (for example "Salesforce").</summary>
[GenerateSerializer, Immutable]
public sealed record EventLeadData(string LeadId, string? LeadEventSource);
