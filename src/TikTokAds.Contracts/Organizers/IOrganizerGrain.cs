namespace TikTokAds.Contracts.Organizers;

/// <summary>
/// One organizer (tenant): its profile, its API keys (hashes only) and its TikTok connections. Methods that
/// write or call out take the caller's cancellation token; pure reads do not need one.
/// </summary>
public interface IOrganizerGrain : IGrainWithStringKey
{
    Task<OrganizerInfo> CreateAsync(string name, CancellationToken cancellationToken = default);

    Task<OrganizerInfo?> GetAsync();

    /// <summary>Records a key the gateway generated; the grain only ever sees its SHA-256.</summary>
    Task<ApiKeyInfo?> AddKeyAsync(NewApiKey key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync();

    /// <summary>Revokes the key; returns its hash (so gateways can drop it from their caches), or null if unknown.</summary>
    Task<string?> RevokeKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Checks the token with TikTok, then saves or updates the connection of one pixel.</summary>
    Task<ConnectResult> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken = default);

    /// <summary>The connections as configured (cheap; what the gateway caches).</summary>
    Task<IReadOnlyList<ConnectionView>> GetConnectionsAsync();

    /// <summary>The connections with each pixel's last delivery (asks every pixel grain).</summary>
    Task<IReadOnlyList<ConnectionView>> DescribeConnectionsAsync(CancellationToken cancellationToken = default);

    Task<DisconnectResult> DisconnectAsync(string pixelId, CancellationToken cancellationToken = default);

    /// <summary>Checks the stored token with TikTok now; a rejected token marks the connection for reauthorisation.</summary>
    Task<ConnectResult> VerifyAsync(string pixelId, CancellationToken cancellationToken = default);

    /// <summary>For the organizer's audiences: a connection (with its encrypted token) for the advertiser, or null.</summary>
    Task<ConnectionSecret?> GetAdvertiserCredentialAsync(string advertiserId);

    /// <summary>Re-encrypts every stored token under the active key; returns how many were rewritten.</summary>
    Task<int> RotateTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// TikTok rejected the token (40102/40104/40105/40106) the pixel sent with, <paramref name="protectedToken"/> as
    /// this grain gave it: the connection needs reauthorisation. A report about a token the connection no longer holds
    /// is dropped, since a send with the old token can end after a reconnect. Pixels send it without waiting, so it
    /// takes no cancellation token.
    /// </summary>
    Task ReportTokenRejectedAsync(string pixelId, string protectedToken, int code, string message);

    /// <summary>
    /// TikTok rejected the token an audience or exclusion used for the advertiser, <paramref name="protectedToken"/> as
    /// <see cref="GetAdvertiserAccessAsync"/> gave it: whatever holds that token needs reauthorisation, the
    /// authorization of the advertiser with every connection that follows it, else the connections it was pasted into.
    /// Dropped when nothing holds it any more (a new consent or a reconnect came while the call was out).
    /// </summary>
    Task ReportAdvertiserTokenRejectedAsync(string advertiserId, string protectedToken, int code, string message);

    /// <summary>Starts an OAuth consent: a single-use state that expires after <paramref name="lifetime"/>; null for an unknown organizer.</summary>
    Task<AuthorizationStart?> BeginAuthorizationAsync(TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a consent: checks and burns the state's nonce, exchanges the auth_code at TikTok, stores the
    /// token encrypted, and syncs the ad accounts it grants.
    /// </summary>
    Task<AuthorizationResult> CompleteAuthorizationAsync(string nonce, string authCode, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuthorizationView>> ListAuthorizationsAsync();

    /// <summary>Deletes an authorization; what used its advertisers shows "integration_deleted". False if unknown.</summary>
    Task<bool> DeleteAuthorizationAsync(string authorizationId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AdAccountView>> ListAdAccountsAsync();

    /// <summary>Asks TikTok again which advertisers each authorization grants, and their accounts' details.</summary>
    Task<AdAccountSyncResult> SyncAdAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether an authorization of this organizer grants the advertiser, with its encrypted token.</summary>
    Task<AdvertiserAccess> GetAdvertiserAccessAsync(string advertiserId);

    /// <summary>For the pixel's reconciliation: its connection with the encrypted token, or null when not connected.</summary>
    Task<ConnectionSecret?> GetPixelCredentialAsync(string pixelId);
}
