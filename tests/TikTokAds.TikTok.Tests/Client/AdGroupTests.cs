using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>adgroup/get/ and dmp/custom_audience/apply/ against the sandbox: paging, applying, and TikTok's refusals.</summary>
public sealed class AdGroupTests : IAsyncLifetime
{
    private const string Advertiser = "7000000000000000077";
    private const string Other = "7000000000000000078";
    private SandboxHost _sandbox = null!;
    private string _token = null!;
    private TikTokBusinessClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(o => o.AudienceProcessingTime = TimeSpan.Zero);
        _token = _sandbox.AddToken([Advertiser, Other], []);
        _client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<string> AudienceAsync(string advertiserId = Advertiser)
        => (await _client.CreateSegmentAudienceAsync(_token, advertiserId, "Ticket holders", CancellationToken.None)).Data!.AudienceId!;

    private Task<TikTokResponse<System.Text.Json.JsonElement>> ApplyAsync(string audienceId, IReadOnlyList<string> adGroups, string action = "Apply", string? usage = "Exclude")
        => _client.ApplyCustomAudienceAsync(_token, new CustomAudienceApplyRequest { AdvertiserId = Advertiser, CustomAudienceId = audienceId, AdgroupIds = adGroups, ActionMode = action, UsageMode = usage }, CancellationToken.None);

    [Fact]
    public async Task Ad_groups_are_seeded_per_advertiser_and_paged()
    {
        _sandbox.State.AdGroups.Add(Advertiser, "Extra", null, "AUCTION");

        var first = await _client.ListAdGroupsAsync(_token, Advertiser, 1, 3, CancellationToken.None);
        var second = await _client.ListAdGroupsAsync(_token, Advertiser, 2, 3, CancellationToken.None);
        var other = await _client.ListAdGroupsAsync(_token, Other, 1, 100, CancellationToken.None);

        Assert.Equal(4, first.Data!.PageInfo!.TotalNumber);
        Assert.Equal(3, first.Data.List!.Count);
        Assert.Equal("Extra", Assert.Single(second.Data!.List!).AdgroupName);
        Assert.Single(first.Data.List, g => g.BuyingType == "RESERVATION_RF");
        Assert.All(first.Data.List, g => Assert.Equal(Advertiser, g.AdvertiserId));
        Assert.Empty(first.Data.List.Select(g => g.AdgroupId).Intersect(other.Data!.List!.Select(g => g.AdgroupId)));
    }

    [Fact]
    public async Task An_audience_applied_as_exclusion_shows_on_the_ad_groups_until_disconnected()
    {
        var audience = await AudienceAsync();
        var groups = (await _client.ListAdGroupsAsync(_token, Advertiser, 1, 10, CancellationToken.None)).Data!.List!.Select(g => g.AdgroupId!).ToList();

        var applied = await ApplyAsync(audience, groups[..2]);
        var whileApplied = groups.Select(g => _sandbox.State.AdGroups.Applied(g)).ToList();
        var disconnected = await ApplyAsync(audience, [groups[0]], "Disconnect", null);

        Assert.True(applied.IsSuccess, applied.Message);
        Assert.True(disconnected.IsSuccess, disconnected.Message);
        Assert.Equal("EXCLUDE", Assert.Single(whileApplied[0]).UsageMode);
        Assert.Equal(audience, Assert.Single(whileApplied[1]).AudienceId);
        Assert.Empty(whileApplied[2]);
        Assert.Empty(_sandbox.State.AdGroups.Applied(groups[0]));
        Assert.Single(_sandbox.State.AdGroups.Applied(groups[1]));
    }

    [Fact]
    public async Task Unknown_foreign_and_reach_and_frequency_ad_groups_are_refused_and_nothing_is_applied()
    {
        var audience = await AudienceAsync();
        var ours = (await _client.ListAdGroupsAsync(_token, Advertiser, 1, 10, CancellationToken.None)).Data!.List!;
        var theirs = (await _client.ListAdGroupsAsync(_token, Other, 1, 10, CancellationToken.None)).Data!.List![0].AdgroupId!;
        var lookalike = _sandbox.State.Audiences.Create(Advertiser, "Like fans", "LOOKALIKE", "EMAIL_SHA256", DateTimeOffset.UtcNow, TimeSpan.Zero).AudienceId;
        var rf = ours.Single(g => g.BuyingType == "RESERVATION_RF").AdgroupId!;
        var auction = ours.First(g => g.BuyingType == "AUCTION").AdgroupId!;

        var unknown = await ApplyAsync(audience, [auction, "1799999999999999999"]);
        var foreign = await ApplyAsync(audience, [auction, theirs]);
        var lookalikeOnRf = await ApplyAsync(lookalike, [rf]);
        var lookalikeOnAuction = await ApplyAsync(lookalike, [auction], usage: "Include");
        var noUsage = await ApplyAsync(audience, [auction], usage: null);

        Assert.Equal(40007, unknown.Code);
        Assert.Equal(40002, foreign.Code);
        Assert.Contains("same advertiser", foreign.Message, StringComparison.Ordinal);
        Assert.Equal(40002, lookalikeOnRf.Code);
        Assert.Contains("Reach & Frequency", lookalikeOnRf.Message, StringComparison.Ordinal);
        Assert.Equal(40002, noUsage.Code);
        Assert.True(lookalikeOnAuction.IsSuccess);
        Assert.Equal([lookalike], _sandbox.State.AdGroups.Applied(auction).Select(a => a.AudienceId));
        Assert.Empty(_sandbox.State.AdGroups.Applied(theirs));
        Assert.Empty(_sandbox.State.AdGroups.Applied(rf));
    }
}
