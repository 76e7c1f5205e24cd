using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

/// <summary>
/// Pixel connections that use an OAuth authorization's token instead of a pasted one: which authorization a
/// connection takes, how a rejection of that token reaches everything that uses it, and how a new consent
/// heals them.
/// </summary>
public static class AuthorizationBinding
{
    /// <summary>The newest active authorization that grants the advertiser, or null.</summary>
    public static AuthorizationRecord? Granting(OrganizerState state, string advertiserId)
        => state.Authorizations.Values
            .Where(a => a.Status == AuthorizationStatus.Active && a.AdvertiserIds.Contains(advertiserId))
            .OrderByDescending(a => a.AuthorizedAt)
            .FirstOrDefault();

    /// <summary>A request without a token takes the authorization's; the refusal when no active authorization grants the advertiser.</summary>
    public static (ConnectRequest? Request, string? AuthorizationId, ConnectResult? Refusal) Resolve(OrganizerState state, ConnectRequest request)
    {
        if (request.ProtectedToken is not null)
        {
            return (request, null, null);
        }
        return Granting(state, request.AdvertiserId) is { } authorization
            ? (request with { ProtectedToken = authorization.ProtectedToken }, authorization.Id, null)
            : (null, null, new ConnectResult(ConnectOutcome.NoAuthorization, null, 0,
                $"No access_token was given and no active TikTok authorization of this organizer grants advertiser {request.AdvertiserId}."));
    }

    /// <summary>
    /// TikTok rejected the authorization's token: it and every connection that follows it need reauthorisation, at
    /// once. The connections returned are those that changed (for their pixels); null when the authorization is unknown.
    /// </summary>
    public static (OrganizerState State, IReadOnlyList<ConnectionRecord> Connections)? Rejected(OrganizerState state, string authorizationId, int code, string message, DateTimeOffset now)
    {
        if (!state.Authorizations.TryGetValue(authorizationId, out var authorization))
        {
            return null;
        }
        var authorizations = new Dictionary<string, AuthorizationRecord>(state.Authorizations)
        {
            [authorizationId] = authorization with { Status = AuthorizationStatus.ReauthorisationRequired, LastError = $"TikTok {code}: {message}" },
        };
        var connections = state.Connections.Values
            .Where(c => c.AuthorizationId == authorizationId)
            .Select(c => ConnectionTransitions.Rejected(c, code, message, now))
            .OfType<ConnectionRecord>()
            .ToList();
        return (state with { Authorizations = authorizations }, connections);
    }

    /// <summary>After a new consent: connections that followed an authorization now granting nothing active take the new one, healed.</summary>
    public static IReadOnlyList<ConnectionRecord> Rebound(OrganizerState state, AuthorizationRecord fresh, DateTimeOffset now)
        => [.. state.Connections.Values
            .Where(c => c.FollowsAuthorization && c.AuthorizationId != fresh.Id && fresh.AdvertiserIds.Contains(c.AdvertiserId))
            .Where(c => !state.Authorizations.TryGetValue(c.AuthorizationId!, out var current) || current.Status != AuthorizationStatus.Active || current.AuthorizedAt < fresh.AuthorizedAt)
            .Select(c => c with { ProtectedToken = fresh.ProtectedToken, AuthorizationId = fresh.Id, Status = ConnectionStatus.Connected, LastError = null, UpdatedAt = now })];
}
