using TikTokAds.Orleans.Abstractions.Organizers;

namespace TikTokAds.Orleans.Grains.Organizers;

public sealed record OrganizerState
{
    public string? Name { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<ApiKeyRecord> Keys { get; init; } = [];
    public IReadOnlyDictionary<string, ConnectionRecord> Connections { get; init; } = new Dictionary<string, ConnectionRecord>();

    public bool Exists => Name is not null;
}

/// <summary>An issued key: its hash, never the key.</summary>
public sealed record ApiKeyRecord(string KeyId, string KeyHash, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A pixel connection; the access token is AES-GCM ciphertext (see TokenProtector).</summary>
public sealed record ConnectionRecord(
    string PixelId,
    string AdvertiserId,
    string ProtectedToken,
    bool TestMode,
    string? TestEventCode,
    string? DefaultCountryCode,
    EventToggles Toggles,
    RateLimits Limits,
    string Status,
    DateTimeOffset ConnectedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastEventSent,
    string? LastError)
{
    public ConnectionView ToView() => new(PixelId, AdvertiserId, TestMode, TestEventCode, DefaultCountryCode, Toggles, Limits ?? new RateLimits(), Status, ConnectedAt, UpdatedAt, LastEventSent, LastError);

    public ConnectionSecret ToSecret() => new(ToView(), ProtectedToken);
}
