using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Node.Apis;

/// <summary>Open authorize_url in the organizer's browser; TikTok then redirects to redirect_uri with auth_code and state.</summary>
public sealed record OAuthStartResponse(string AuthorizeUrl, string State, DateTimeOffset ExpiresAt, string RedirectUri);

public sealed record OAuthCompleted(string Status, AuthorizationView Authorization, IReadOnlyList<AdAccountView> AdAccounts);

public sealed record AdAccountsResponse(IReadOnlyList<AdAccountView> AdAccounts, IReadOnlyList<AuthorizationView> Authorizations);

public sealed record AdAccountSyncResponse(bool Complete, string Message, IReadOnlyList<AdAccountView> AdAccounts, IReadOnlyList<AuthorizationView> Authorizations);
