using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

/// <summary>Which stored token may act for an advertiser, for the organizer's audiences and lead ads.</summary>
public static class AdvertiserAccessPolicy
{
    /// <summary>A pixel connection of the advertiser, a working one first; null when there is none.</summary>
    public static ConnectionSecret? Credential(OrganizerState state, string advertiserId)
        => Connection(state, advertiserId)?.ToSecret();

    /// <summary>
    /// The newest active grant of the advertiser, else a rejected one; else a pixel connection's token
    /// (Events Manager or OAuth), which may serve the advertiser too.
    /// </summary>
    public static AdvertiserAccess Access(OrganizerState state, string advertiserId)
    {
        var authorization = state.Authorizations.Values
            .Where(a => a.AdvertiserIds.Contains(advertiserId))
            .OrderBy(a => a.Status == AuthorizationStatus.Active ? 0 : 1)
            .ThenByDescending(a => a.AuthorizedAt)
            .FirstOrDefault();
        if (authorization is not null)
        {
            return new AdvertiserAccess(Granted(authorization.Status == AuthorizationStatus.Active), authorization.Id, authorization.ProtectedToken);
        }
        if (Connection(state, advertiserId) is { } connection)
        {
            return new AdvertiserAccess(Granted(connection.Status == ConnectionStatus.Connected), null, connection.ProtectedToken);
        }
        return new AdvertiserAccess(
            state.DeletedAdvertisers.Contains(advertiserId) ? AdvertiserAccessState.IntegrationDeleted : AdvertiserAccessState.Unknown, null, null);
    }

    private static ConnectionRecord? Connection(OrganizerState state, string advertiserId)
        => state.Connections.Values.Where(c => c.AdvertiserId == advertiserId).OrderBy(c => c.Status == ConnectionStatus.Connected ? 0 : 1).FirstOrDefault();

    private static string Granted(bool working) => working ? AdvertiserAccessState.Granted : AdvertiserAccessState.ReauthorisationRequired;
}
