using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadIntegrationTests
{
    [Fact]
    public void Each_ad_shows_its_accounts_problem_with_the_fix()
    {
        var inbox = Inbox();
        var ad = inbox.Ads[Ad];

        var deleted = LeadIntegration.Ad(inbox, ad, AdvertiserAccessState.IntegrationDeleted);
        var unknown = LeadIntegration.Ad(inbox, ad, AdvertiserAccessState.Unknown);
        var noCallback = LeadIntegration.Ad(Inbox(callbackUrl: null), ad, AdvertiserAccessState.Granted);

        Assert.Equal((LeadIntegrationStatus.IntegrationDeleted, LeadIntegration.FixFor(LeadIntegrationStatus.IntegrationDeleted)), (deleted.Status, deleted.Fix));
        Assert.Equal(LeadIntegrationStatus.Misconfigured, unknown.Status);
        Assert.Contains("not granted", unknown.Detail, StringComparison.Ordinal);
        Assert.Equal(("misconfigured", "No call-back URL is set."), (noCallback.Status, noCallback.Detail));
    }

    [Fact]
    public void An_active_or_disabled_ad_has_no_problem()
    {
        var active = LeadIntegration.Ad(Inbox(), Inbox().Ads[Ad], AdvertiserAccessState.Granted);
        var disabled = LeadIntegration.Ad(Inbox(enabled: false), Inbox(enabled: false).Ads[Ad], AdvertiserAccessState.IntegrationDeleted);

        Assert.Equal((LeadAdStatus.Active, null, null), (active.Status, active.Detail, active.Fix));
        Assert.Equal((LeadAdStatus.Disabled, null), (disabled.Status, disabled.Detail));
    }

    [Fact]
    public void The_integration_status_is_its_worst_problem()
    {
        var inbox = Inbox() with { TikTokProblem = new LeadTikTokProblem(LeadIntegrationStatus.ReauthorisationRequired, 40105, "No access", Now) };
        var misconfigured = LeadIntegration.Ad(inbox, inbox.Ads[Ad], AdvertiserAccessState.Unknown);
        var deleted = LeadIntegration.Ad(inbox, inbox.Ads[Ad] with { AdId = "2" }, AdvertiserAccessState.IntegrationDeleted);

        Assert.Equal(LeadIntegrationStatus.ReauthorisationRequired, LeadIntegration.View(inbox, [misconfigured, deleted]).Status);
        Assert.Equal(LeadIntegrationStatus.IntegrationDeleted, LeadIntegration.View(Inbox(), [misconfigured, deleted]).Status);
        Assert.Equal(LeadIntegrationStatus.Misconfigured, LeadIntegration.View(Inbox(), [misconfigured]).Status);
        Assert.Equal(LeadIntegrationStatus.Ok, LeadIntegration.View(Inbox(), []).Status);
        Assert.Equal(3, LeadIntegration.View(inbox, [misconfigured, deleted]).Problems.Count);
    }

    [Fact]
    public async Task The_organizer_is_asked_once_per_ad_account_and_ads_are_listed_by_id()
    {
        var inbox = Inbox() with
        {
            Ads = new Dictionary<string, LeadAdRecord>
            {
                ["3"] = Inbox().Ads[Ad] with { AdId = "3" },
                ["1"] = Inbox().Ads[Ad] with { AdId = "1" },
            },
        };
        var asked = new List<string>();

        var ads = await LeadIntegration.AdsAsync(inbox, advertiserId =>
        {
            asked.Add(advertiserId);
            return Task.FromResult(AdvertiserAccessState.Granted);
        });

        Assert.Equal(["1", "3"], ads.Select(a => a.AdId));
        Assert.Equal([Advertiser], asked);
    }

    [Fact]
    public void Forms_list_synced_forms_and_pages_only_seen_on_leads_with_their_counts()
    {
        var inbox = Inbox() with { Forms = new Dictionary<string, LeadFormRecord> { ["pg_2"] = new("pg_2", Advertiser, "Synced form", "ACTIVE", Now) } };
        LeadFormCount[] counts = [new("pg_1", "From a lead", 3, 1, 1, 1, 0), new("", null, 2, 0, 0, 2, 0)];

        var forms = LeadIntegration.Forms(inbox, counts);

        Assert.Equal(["pg_1", "pg_2"], forms.Select(f => f.PageId));
        Assert.Equal(("From a lead", 3L, 1L), (forms[0].Title, forms[0].Leads, forms[0].Forwarded));
        Assert.Equal(("Synced form", 0L, "ACTIVE"), (forms[1].Title, forms[1].Leads, forms[1].Status));
    }
}
