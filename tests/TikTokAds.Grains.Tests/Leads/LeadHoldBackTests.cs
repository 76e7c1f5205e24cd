using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadHoldBackTests
{
    private int _asked;

    private Func<Task<string>> Access(string state) => () =>
    {
        _asked++;
        return Task.FromResult(state);
    };

    [Fact]
    public async Task A_lead_of_an_unconfigured_ad_or_of_another_account_is_held_back_without_asking_the_organizer()
    {
        Assert.Equal(LeadReasons.AdNotConfigured, await LeadHoldBack.ReasonAsync(Inbox(), null, Advertiser, Access(AdvertiserAccessState.Granted)));
        Assert.Equal(LeadReasons.AdNotConfigured, await LeadHoldBack.ReasonAsync(Inbox(), "999", Advertiser, Access(AdvertiserAccessState.Granted)));
        Assert.Equal(LeadReasons.AdNotConfigured, await LeadHoldBack.ReasonAsync(Inbox(), Ad, "7000000002", Access(AdvertiserAccessState.Granted)));
        Assert.Equal(LeadReasons.AdDisabled, await LeadHoldBack.ReasonAsync(Inbox(enabled: false), Ad, Advertiser, Access(AdvertiserAccessState.Granted)));
        Assert.Equal(0, _asked);
    }

    [Fact]
    public async Task A_deleted_integration_holds_the_leads_of_a_configured_ad_back()
    {
        Assert.Equal(LeadReasons.IntegrationDeleted, await LeadHoldBack.ReasonAsync(Inbox(callbackUrl: null), Ad, Advertiser, Access(AdvertiserAccessState.IntegrationDeleted)));
    }

    [Fact]
    public async Task Without_a_callback_url_nothing_is_forwarded()
    {
        Assert.Equal(LeadReasons.NoCallbackUrl, await LeadHoldBack.ReasonAsync(Inbox(callbackUrl: null), Ad, Advertiser, Access(AdvertiserAccessState.Granted)));
        Assert.Equal(LeadReasons.NoCallbackUrl, LeadHoldBack.Settings(Inbox(callbackUrl: null), Ad, Advertiser));
    }

    [Fact]
    public async Task A_configured_enabled_ad_with_a_callback_url_forwards_even_while_reauthorisation_is_required()
    {
        Assert.Null(await LeadHoldBack.ReasonAsync(Inbox(), Ad, Advertiser, Access(AdvertiserAccessState.Granted)));
        Assert.Null(await LeadHoldBack.ReasonAsync(Inbox(), Ad, Advertiser, Access(AdvertiserAccessState.ReauthorisationRequired)));
        Assert.Equal(LeadStatuses.Pending, LeadHoldBack.StatusFor(null));
        Assert.Equal(LeadStatuses.NotForwarded, LeadHoldBack.StatusFor(LeadReasons.AdDisabled));
    }
}
