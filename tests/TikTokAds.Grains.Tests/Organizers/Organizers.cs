using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

/// <summary>Organizer state built up for the tests.</summary>
internal static class Organizers
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static AuthorizationRecord Grant(string id, DateTimeOffset at, params string[] advertiserIds)
        => new(id, $"v1.k1.{id}", advertiserIds, [4], AuthorizationStatus.Active, at, null, null);

    public static ConnectionRecord Connection(string pixelId, string advertiserId, string status = ConnectionStatus.Connected, string keyId = "k1")
        => new(pixelId, advertiserId, $"v1.{keyId}.{pixelId}", false, null, null, new EventToggles(), new RateLimits(), status, Now, Now, null, null);

    public static AdAccountView Account(string advertiserId, string authorizationId, string? name = null)
        => new(advertiserId, name, null, "STATUS_ENABLE", "ROLE_ADVERTISER", "USD", null, "US", authorizationId, Now);

    public static OrganizerState With(params AuthorizationRecord[] grants)
        => new() { Name = "Org", Authorizations = grants.ToDictionary(g => g.Id) };
}
