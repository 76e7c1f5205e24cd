using TikTokAds.Contracts;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>A write that fails leaves nothing behind: the grain keeps the state it had, and later changes are stored without the failed one.</summary>
public sealed class StateWriteFailureTests(FlakyStorageCluster cluster) : IClassFixture<FlakyStorageCluster>
{
    [Fact]
    public async Task Lead_ad_settings_whose_write_fails_are_not_kept_and_later_settings_changes_succeed_without_them()
    {
        var inbox = cluster.Grains.LeadInbox("org_flakyleads01");
        var festival = new LeadAdConfig("1800000000000000001", "7100000000000000001", "Festival pass", new Dictionary<string, string>(), null, true);
        var concert = festival with { AdId = "1800000000000000002", FormName = "Concert" };

        cluster.Storage.FailingWrites = "lead-inbox";
        var failed = await Record.ExceptionAsync(() => inbox.ConfigureAdAsync(festival));
        cluster.Storage.FailingWrites = null;
        var afterFailure = await inbox.ListAdsAsync();
        var callback = await inbox.SetCallbackAsync(new LeadCallbackSettings("https://crm.example/leads", null, KeepSecret: true));
        await inbox.ConfigureAdAsync(concert);
        await cluster.Cluster.DeactivateAsync(inbox);
        var stored = await inbox.ListAdsAsync();

        Assert.NotNull(failed);
        Assert.Empty(afterFailure);
        Assert.Equal("https://crm.example/leads", callback.CallbackUrl);
        Assert.Equal(["1800000000000000002"], stored.Select(a => a.AdId));
    }

    [Fact]
    public async Task Removing_a_lead_ad_whose_write_fails_keeps_the_ad()
    {
        var inbox = cluster.Grains.LeadInbox("org_flakyleads02");
        await inbox.ConfigureAdAsync(new LeadAdConfig("1800000000000000003", "7100000000000000001", null, new Dictionary<string, string>(), null, true));

        cluster.Storage.FailingWrites = "lead-inbox";
        var failed = await Record.ExceptionAsync(() => inbox.RemoveAdAsync("1800000000000000003"));
        cluster.Storage.FailingWrites = null;

        Assert.NotNull(failed);
        Assert.Equal(["1800000000000000003"], (await inbox.ListAdsAsync()).Select(a => a.AdId));
    }

    [Fact]
    public async Task An_organizer_change_whose_write_fails_is_not_kept_and_later_changes_succeed_without_it()
    {
        var organizer = cluster.Grains.Organizer("org_flakyorganizer01");
        await organizer.CreateAsync("Flaky storage");

        cluster.Storage.FailingWrites = "organizer";
        var failed = await Record.ExceptionAsync(() => organizer.AddKeyAsync(new NewApiKey("key1", "hash-flaky-1", "tta_key1")));
        cluster.Storage.FailingWrites = null;
        var afterFailure = await organizer.ListKeysAsync();
        await organizer.AddKeyAsync(new NewApiKey("key2", "hash-flaky-2", "tta_key2"));
        await cluster.Cluster.DeactivateAsync(organizer);
        var stored = await organizer.ListKeysAsync();

        Assert.NotNull(failed);
        Assert.Empty(afterFailure);
        Assert.Equal(["key2"], stored.Select(k => k.KeyId));
    }
}
