namespace TikTokAds.Contracts.Organizers;

[GenerateSerializer, Immutable]
public sealed record OrganizerInfo(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A key as the gateway made it: its id, the SHA-256 of the whole key, and a displayable prefix.</summary>
[GenerateSerializer, Immutable]
public sealed record NewApiKey(string KeyId, string KeyHash, string Prefix);

/// <summary>What may be shown of a key after it was issued: never the secret.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyInfo(string KeyId, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Which kinds of events the organizer wants sent (seed 000's per-organizer toggles).</summary>
[GenerateSerializer, Immutable]
public sealed record EventToggles(bool TrackPurchases = true, bool TrackAddToCart = true, bool TrackCheckout = true, bool TrackRegistrations = true, bool AllowCustomEvents = true);

/// <summary>The pixel's budget with TikTok (seed: 10 requests/s, 50,000 events per UTC day).</summary>
[GenerateSerializer, Immutable]
public sealed record RateLimits(int RequestsPerSecond = 10, int EventsPerDay = 50_000);

/// <summary>
/// A connect request; the access token arrives already encrypted by the gateway. Without one (null) the
/// connection uses the organizer's OAuth authorization that grants the advertiser, and follows it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConnectRequest(
    string PixelId,
    string AdvertiserId,
    string? ProtectedToken,
    bool TestMode,
    string? TestEventCode,
    string? DefaultCountryCode,
    EventToggles Toggles,
    RateLimits Limits);

[GenerateSerializer]
public enum ConnectOutcome
{
    Connected,
    Updated,
    Verified,
    NotConnected,
    OrganizerNotFound,
    TokenRejected,
    AdvertiserNotPermitted,
    PixelNotPermitted,
    TikTokUnavailable,

    /// <summary>No token was given and no active authorization of the organizer grants the advertiser.</summary>
    NoAuthorization,
}

[GenerateSerializer, Immutable]
public sealed record ConnectResult(ConnectOutcome Outcome, ConnectionView? Connection, int TikTokCode, string Message);

public static class ConnectionStatus
{
    public const string Connected = "connected";
    public const string ReauthorisationRequired = "reauthorization_required";
}

/// <summary>A connection as the organizer may see it: everything but the token.</summary>
[GenerateSerializer, Immutable]
public sealed record ConnectionView(
    string PixelId,
    string AdvertiserId,
    bool TestMode,
    string? TestEventCode,
    string? DefaultCountryCode,
    EventToggles Toggles,
    RateLimits Limits,
    string Status,
    DateTimeOffset ConnectedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastEventSent,
    string? LastError);

/// <summary>The connection with its encrypted token, for the grains that call TikTok on its behalf.</summary>
[GenerateSerializer, Immutable]
public sealed record ConnectionSecret(ConnectionView Connection, string ProtectedToken);

[GenerateSerializer]
public enum DisconnectOutcome
{
    Disconnected,
    NotFound,
}

[GenerateSerializer, Immutable]
public sealed record DisconnectResult(DisconnectOutcome Outcome, int FlushedEvents, int UndeliveredEvents, string Message);
