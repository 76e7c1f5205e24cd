namespace TikTokAds.Contracts.Organizers;

/// <summary>One organizer (tenant): its profile, its API keys (hashes only) and its TikTok connections.</summary>
public interface IOrganizerGrain : IGrainWithStringKey
{
    Task<OrganizerInfo> CreateAsync(string name);

    Task<OrganizerInfo?> GetAsync();

    /// <summary>Records a key the gateway generated; the grain only ever sees its SHA-256.</summary>
    Task<ApiKeyInfo?> AddKeyAsync(NewApiKey key);

    Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync();

    /// <summary>Revokes the key; returns its hash (so gateways can drop it from their caches), or null if unknown.</summary>
    Task<string?> RevokeKeyAsync(string keyId);

    /// <summary>Checks the token with TikTok, then saves or updates the connection of one pixel.</summary>
    Task<ConnectResult> ConnectAsync(ConnectRequest request);

    /// <summary>The connections as configured (cheap; what the gateway caches).</summary>
    Task<IReadOnlyList<ConnectionView>> GetConnectionsAsync();

    /// <summary>The connections with each pixel's last delivery (asks every pixel grain).</summary>
    Task<IReadOnlyList<ConnectionView>> DescribeConnectionsAsync();

    Task<DisconnectResult> DisconnectAsync(string pixelId);

    /// <summary>Checks the stored token with TikTok now; a rejected token marks the connection for reauthorisation.</summary>
    Task<ConnectResult> VerifyAsync(string pixelId);

    /// <summary>For the organizer's audiences: a connection (with its encrypted token) for the advertiser, or null.</summary>
    Task<ConnectionSecret?> GetAdvertiserCredentialAsync(string advertiserId);

    /// <summary>Re-encrypts every stored token under the active key; returns how many were rewritten.</summary>
    Task<int> RotateTokensAsync();

    /// <summary>TikTok rejected the token (40102/40104/40105/40106): the connection needs reauthorisation.</summary>
    Task ReportTokenRejectedAsync(string pixelId, int code, string message);

    /// <summary>Starts an OAuth consent: a single-use state that expires after <paramref name="lifetime"/>; null for an unknown organizer.</summary>
    Task<AuthorizationStart?> BeginAuthorizationAsync(TimeSpan lifetime);

    /// <summary>
    /// Completes a consent: checks and burns the state's nonce, exchanges the auth_code at TikTok, stores the
    /// token encrypted, and syncs the ad accounts it grants.
    /// </summary>
    Task<AuthorizationResult> CompleteAuthorizationAsync(string nonce, string authCode);

    Task<IReadOnlyList<AuthorizationView>> ListAuthorizationsAsync();

    /// <summary>Deletes an authorization; what used its advertisers shows "integration_deleted". False if unknown.</summary>
    Task<bool> DeleteAuthorizationAsync(string authorizationId);

    Task<IReadOnlyList<AdAccountView>> ListAdAccountsAsync();

    /// <summary>Asks TikTok again which advertisers each authorization grants, and their accounts' details.</summary>
    Task<AdAccountSyncResult> SyncAdAccountsAsync();

    /// <summary>Whether an authorization of this organizer grants the advertiser, with its encrypted token.</summary>
    Task<AdvertiserAccess> GetAdvertiserAccessAsync(string advertiserId);
}
