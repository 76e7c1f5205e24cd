namespace TikTokAds.Contracts.Organizers;

/// <summary>A pending OAuth consent: the opaque state to send to TikTok, bound to one organizer.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthorizationStart(string State, DateTimeOffset ExpiresAt);

[GenerateSerializer]
public enum AuthorizationOutcome
{
    Authorized,
    OrganizerNotFound,
    NotConfigured,
    StateUnknown,
    StateExpired,
    StateUsed,
    CodeRejected,
    TikTokRefused,
    TikTokUnavailable,
}

[GenerateSerializer, Immutable]
public sealed record AuthorizationResult(AuthorizationOutcome Outcome, AuthorizationView? Authorization, IReadOnlyList<AdAccountView> AdAccounts, int TikTokCode, string Message);

public static class AuthorizationStatus
{
    public const string Active = "active";
    public const string ReauthorisationRequired = "reauthorization_required";
}

/// <summary>One OAuth grant: the advertisers and scopes TikTok returned. The token itself is never shown.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthorizationView(
    string Id,
    string Status,
    IReadOnlyList<string> AdvertiserIds,
    IReadOnlyList<long> Scope,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset? LastSyncedAt,
    string? LastError);

/// <summary>An ad account as TikTok describes it: status is one of its STATUS_* values, role one of its ROLE_* values.</summary>
[GenerateSerializer, Immutable]
public sealed record AdAccountView(
    string AdvertiserId,
    string? Name,
    string? Company,
    string? Status,
    string? Role,
    string? Currency,
    string? Timezone,
    string? Country,
    string AuthorizationId,
    DateTimeOffset SyncedAt);

[GenerateSerializer, Immutable]
public sealed record AdAccountSyncResult(bool Complete, IReadOnlyList<AdAccountView> AdAccounts, IReadOnlyList<AuthorizationView> Authorizations, string Message);

public static class AdvertiserAccessState
{
    /// <summary>An active authorization (or pixel connection) grants the advertiser.</summary>
    public const string Granted = "granted";

    /// <summary>Granted, but TikTok rejected the token or the rights: reauthorise.</summary>
    public const string ReauthorisationRequired = "reauthorization_required";

    /// <summary>The authorization that granted it was deleted.</summary>
    public const string IntegrationDeleted = "integration_deleted";

    /// <summary>No authorization of this organizer ever granted it.</summary>
    public const string Unknown = "unknown";
}

/// <summary>Whether the organizer may act for an advertiser, and with which (encrypted) token.</summary>
[GenerateSerializer, Immutable]
public sealed record AdvertiserAccess(string State, string? AuthorizationId, string? ProtectedToken);
