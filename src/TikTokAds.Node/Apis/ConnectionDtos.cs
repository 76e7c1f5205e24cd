namespace TikTokAds.Node.Apis;

/// <summary>POST /connect (seed 000), plus the per-organizer settings of the seed's configuration list.</summary>
public sealed record ConnectBody(
    string? PixelId,
    string? AccessToken,
    string? AdvertiserId,
    bool? TestMode,
    string? TestEventCode,
    string? DefaultCountryCode,
    bool? TrackPurchases,
    bool? TrackAddToCart,
    bool? TrackCheckout,
    bool? TrackRegistrations,
    bool? AllowCustomEvents,
    int? RequestsPerSecond,
    int? EventsPerDay);

/// <summary>GET /connection: the seed's fields for the first pixel, and every pixel when there are several.</summary>
public sealed record ConnectionResponse(
    bool Connected,
    string? PixelId,
    string? AdvertiserId,
    bool TestMode,
    DateTimeOffset? LastEventSent,
    string? Status,
    IReadOnlyList<PixelConnection> Pixels);

public sealed record PixelConnection(
    string PixelId,
    string AdvertiserId,
    string Status,
    bool TestMode,
    string? TestEventCode,
    string? DefaultCountryCode,
    bool TrackPurchases,
    bool TrackAddToCart,
    bool TrackCheckout,
    bool TrackRegistrations,
    bool AllowCustomEvents,
    int RequestsPerSecond,
    int EventsPerDay,
    DateTimeOffset ConnectedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastEventSent,
    string? LastError);

public sealed record DisconnectResponse(bool Disconnected, string PixelId, int FlushedEvents, int UndeliveredEvents, string Message);
