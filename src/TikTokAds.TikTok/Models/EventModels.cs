namespace TikTokAds.TikTok.Models;

/// <summary>Body of POST /event/track/ (Events API 2.0). At most 1,000 events; test_event_code is top-level.</summary>
public sealed record TrackRequest
{
    public const int MaxEvents = 1000;

    /// <summary>web, app, offline or crm.</summary>
    public required string EventSource { get; init; }

    /// <summary>The pixel code (web), offline or CRM event set id, or app id.</summary>
    public required string EventSourceId { get; init; }

    /// <summary>The events, each kept as its JSON (<see cref="TrackEventJson.From"/>).</summary>
    public required IReadOnlyList<TrackEventJson> Data { get; init; }

    public string? TestEventCode { get; init; }

    public string? PartnerName { get; init; }
}

public sealed record TrackEvent
{
    public required string Event { get; init; }

    /// <summary>Unix seconds, UTC.</summary>
    public required long EventTime { get; init; }

    public string? EventId { get; init; }

    public TrackUser? User { get; init; }

    public TrackProperties? Properties { get; init; }

    public TrackPage? Page { get; init; }

    public TrackLead? Lead { get; init; }

    public bool? LimitedDataUse { get; init; }
}

/// <summary>email, phone and external_id are SHA-256 hex; ttclid, ttp, ip, user_agent and locale are sent as they are.</summary>
public sealed record TrackUser
{
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? ExternalId { get; init; }
    public string? Ttclid { get; init; }
    public string? Ttp { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? Locale { get; init; }
}

public sealed record TrackProperties
{
    public IReadOnlyList<TrackContent>? Contents { get; init; }
    public string? ContentType { get; init; }
    public string? Currency { get; init; }
    public decimal? Value { get; init; }
    public string? OrderId { get; init; }
    public string? Query { get; init; }
    public string? SearchString { get; init; }
    public string? Description { get; init; }
    public int? NumItems { get; init; }
}

public sealed record TrackContent
{
    public string? ContentId { get; init; }
    public string? ContentName { get; init; }
    public string? ContentCategory { get; init; }
    public decimal? Price { get; init; }
    public int? Quantity { get; init; }
    public string? Brand { get; init; }
}

public sealed record TrackPage(string? Url, string? Referrer);

public sealed record TrackLead(string LeadId, string? LeadEventSource);
