using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class AuthorizationBindingTests
{
    private static ConnectRequest Request(string advertiserId, string? token = null)
        => new("P1", advertiserId, token, false, null, null, new EventToggles(), new RateLimits());

    private static OrganizerState WithConnections(OrganizerState state, params ConnectionRecord[] connections)
        => state with { Connections = connections.ToDictionary(c => c.PixelId) };

    [Fact]
    public void A_request_without_a_token_takes_the_newest_active_authorization_that_grants_the_advertiser()
    {
        var rejected = Grant("auth_new", Now.AddDays(2), "1") with { Status = AuthorizationStatus.ReauthorisationRequired };
        var state = With(Grant("auth_old", Now, "1", "2"), Grant("auth_mid", Now.AddDays(1), "1"), rejected);

        var (request, authorizationId, refusal) = AuthorizationBinding.Resolve(state, Request("1"));
        var (_, _, none) = AuthorizationBinding.Resolve(state, Request("3"));
        var (pasted, pastedId, _) = AuthorizationBinding.Resolve(state, Request("3", "v1.k1.pasted"));

        Assert.Null(refusal);
        Assert.Equal(("auth_mid", "v1.k1.auth_mid"), (authorizationId, request!.ProtectedToken));
        Assert.Equal(ConnectOutcome.NoAuthorization, none!.Outcome);
        Assert.Equal(("v1.k1.pasted", (string?)null), (pasted!.ProtectedToken, pastedId));
    }

    [Fact]
    public void A_rejected_authorization_takes_every_connection_that_follows_it_and_no_other()
    {
        var state = WithConnections(With(Grant("auth_a", Now, "1", "2")),
            Connection("P1", "1") with { AuthorizationId = "auth_a" },
            Connection("P2", "2") with { AuthorizationId = "auth_a" },
            Connection("P3", "1"));

        var (next, connections) = AuthorizationBinding.Rejected(state, "auth_a", 40105, "revoked", Now)!.Value;

        Assert.Equal(AuthorizationStatus.ReauthorisationRequired, next.Authorizations["auth_a"].Status);
        Assert.Equal(["P1", "P2"], connections.Select(c => c.PixelId).Order());
        Assert.All(connections, c => Assert.Equal(ConnectionStatus.ReauthorisationRequired, c.Status));
        Assert.Null(AuthorizationBinding.Rejected(state, "auth_unknown", 40105, "revoked", Now));
    }

    [Fact]
    public void A_new_consent_heals_connections_of_its_advertisers_that_followed_an_older_authorization()
    {
        var state = WithConnections(With(Grant("auth_a", Now, "1", "2") with { Status = AuthorizationStatus.ReauthorisationRequired }),
            Connection("P1", "1", ConnectionStatus.ReauthorisationRequired) with { AuthorizationId = "auth_a" },
            Connection("P2", "2", ConnectionStatus.ReauthorisationRequired) with { AuthorizationId = "auth_a" },
            Connection("P3", "1", ConnectionStatus.ReauthorisationRequired));

        var rebound = AuthorizationBinding.Rebound(state, Grant("auth_b", Now.AddDays(1), "1"), Now.AddDays(1));

        var healed = Assert.Single(rebound);
        Assert.Equal(("P1", "auth_b", "v1.k1.auth_b", ConnectionStatus.Connected), (healed.PixelId, healed.AuthorizationId, healed.ProtectedToken, healed.Status));
    }
}
