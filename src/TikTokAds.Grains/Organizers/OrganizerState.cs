using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

public sealed record OrganizerState
{
    public string? Name { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<ApiKeyRecord> Keys { get; init; } = [];
    public IReadOnlyDictionary<string, ConnectionRecord> Connections { get; init; } = new Dictionary<string, ConnectionRecord>();

    /// <summary>OAuth consents started and not yet expired: the SHA-256 of each state's nonce.</summary>
    public IReadOnlyList<PendingConsent> Consents { get; init; } = [];

    public IReadOnlyDictionary<string, AuthorizationRecord> Authorizations { get; init; } = new Dictionary<string, AuthorizationRecord>();

    public IReadOnlyDictionary<string, AdAccountView> AdAccounts { get; init; } = new Dictionary<string, AdAccountView>();

    /// <summary>Advertisers of authorizations that were deleted and that no other authorization grants.</summary>
    public IReadOnlyList<string> DeletedAdvertisers { get; init; } = [];

    /// <summary>Whether the daily ad-account sync reminder is registered (on while any authorization exists).</summary>
    public bool AdAccountSyncScheduled { get; init; }

    public bool Exists => Name is not null;
}

/// <summary>An issued key: its hash, never the key.</summary>
public sealed record ApiKeyRecord(string KeyId, string KeyHash, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public ApiKeyInfo ToInfo() => new(KeyId, Prefix, CreatedAt, RevokedAt);
}

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
    string? LastError,
    string? AuthorizationId = null)
{
    /// <summary>Whether the token is the one of an OAuth authorization (AuthorizationId), not a pasted one.</summary>
    public bool FollowsAuthorization => AuthorizationId is not null;

    public ConnectionView ToView() => new(PixelId, AdvertiserId, TestMode, TestEventCode, DefaultCountryCode, Toggles, Limits ?? new RateLimits(), Status, ConnectedAt, UpdatedAt, LastEventSent, LastError);

    public ConnectionSecret ToSecret() => new(ToView(), ProtectedToken);
}

public sealed record PendingConsent(string NonceHash, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

/// <summary>An OAuth grant; the advertiser token is AES-GCM ciphertext (see TokenProtector).</summary>
public sealed record AuthorizationRecord(
    string Id,
    string ProtectedToken,
    IReadOnlyList<string> AdvertiserIds,
    IReadOnlyList<long> Scope,
    string Status,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset? LastSyncedAt,
    string? LastError)
{
    public AuthorizationView ToView() => new(Id, Status, AdvertiserIds, Scope, AuthorizedAt, LastSyncedAt, LastError);
}
