using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class AdvertiserAccessPolicyTests
{
    [Fact]
    public void An_active_grant_serves_before_a_newer_rejected_one()
    {
        var rejected = Grant("auth_new", Now.AddDays(1), "1") with { Status = AuthorizationStatus.ReauthorisationRequired };
        var state = With(Grant("auth_old", Now, "1"), rejected);

        var access = AdvertiserAccessPolicy.Access(state, "1");

        Assert.Equal(AdvertiserAccessState.Granted, access.State);
        Assert.Equal("auth_old", access.AuthorizationId);
    }

    [Fact]
    public void Among_active_grants_the_newest_serves()
    {
        var state = With(Grant("auth_old", Now, "1", "2"), Grant("auth_new", Now.AddDays(1), "1"));

        Assert.Equal("auth_new", AdvertiserAccessPolicy.Access(state, "1").AuthorizationId);
    }

    [Fact]
    public void Only_rejected_grants_ask_for_reauthorisation()
    {
        var state = With(Grant("auth_a", Now, "1") with { Status = AuthorizationStatus.ReauthorisationRequired });

        Assert.Equal(AdvertiserAccessState.ReauthorisationRequired, AdvertiserAccessPolicy.Access(state, "1").State);
    }

    [Fact]
    public void Without_a_grant_a_pixel_connection_of_the_advertiser_serves_a_working_one_first()
    {
        var state = With() with
        {
            Connections = new Dictionary<string, ConnectionRecord>
            {
                ["P1"] = Connection("P1", "1", ConnectionStatus.ReauthorisationRequired),
                ["P2"] = Connection("P2", "1"),
            },
        };

        var access = AdvertiserAccessPolicy.Access(state, "1");

        Assert.Equal(AdvertiserAccessState.Granted, access.State);
        Assert.Null(access.AuthorizationId);
        Assert.Equal("v1.k1.P2", access.ProtectedToken);
        Assert.Equal("P2", AdvertiserAccessPolicy.Credential(state, "1")?.Connection.PixelId);
    }

    [Fact]
    public void An_advertiser_whose_grant_was_deleted_says_so_and_one_never_granted_is_unknown()
    {
        var state = With() with { DeletedAdvertisers = ["1"] };

        Assert.Equal(AdvertiserAccessState.IntegrationDeleted, AdvertiserAccessPolicy.Access(state, "1").State);
        Assert.Equal(AdvertiserAccessState.Unknown, AdvertiserAccessPolicy.Access(state, "2").State);
        Assert.Null(AdvertiserAccessPolicy.Credential(state, "2"));
    }
}
