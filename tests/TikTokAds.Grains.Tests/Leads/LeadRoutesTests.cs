using TikTokAds.Grains.Leads;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadRoutesTests
{
    [Fact]
    public void The_organizer_that_claimed_the_page_wins_over_one_that_claimed_every_page()
    {
        LeadRouteEntry[] entries = [new("org_a", null), new("org_b", "pg_1")];

        Assert.Equal(("org_b", "page"), Route(entries, "pg_1"));
        Assert.Equal(("org_a", "advertiser"), Route(entries, "pg_2"));
        Assert.Equal(("org_a", "advertiser"), Route(entries, null));
    }

    [Fact]
    public void Nobody_or_several_equal_claims_route_nowhere()
    {
        Assert.Equal((null, "no_route"), Route([], "pg_1"));
        Assert.Equal((null, "ambiguous"), Route([new("org_a", null), new("org_b", null)], "pg_1"));
        Assert.Equal((null, "ambiguous"), Route([new("org_a", "pg_1"), new("org_b", "pg_1"), new("org_c", null)], "pg_1"));
        Assert.Equal(("org_a", "advertiser"), Route([new("org_a", null), new("org_a", "pg_9")], "pg_1"));
    }

    private static (string?, string) Route(IReadOnlyList<LeadRouteEntry> entries, string? pageId)
    {
        var route = LeadRoutes.Find(entries, pageId);
        return (route.OrganizerId, route.Reason);
    }
}
