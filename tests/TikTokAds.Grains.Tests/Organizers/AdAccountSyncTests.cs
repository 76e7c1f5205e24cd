using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class AdAccountSyncTests
{
    private readonly List<int> _calls = [];

    private Func<IReadOnlyList<string>, CancellationToken, Task<TikTokResponse<AdvertiserInfoList>>> Describe(Func<int, TikTokResponse<AdvertiserInfoList>?>? answer = null)
        => (ids, _) =>
        {
            _calls.Add(ids.Count);
            return Task.FromResult(answer?.Invoke(_calls.Count)
                ?? Answers.Ok(new AdvertiserInfoList([.. ids.Select(id => new AdvertiserInfo { AdvertiserId = id, Name = $"Account {id}" })])));
        };

    private static string[] Ids(int count) => [.. Enumerable.Range(1, count).Select(i => i.ToString("D19", System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Advertisers_are_described_a_hundred_at_a_time_and_the_grant_heals()
    {
        var grant = Grant("auth_a", Now, Ids(250)) with { Status = AuthorizationStatus.ReauthorisationRequired, LastError = "TikTok 40105: old" };

        var synced = await AdAccountSync.DescribeAsync(grant, Describe(), Now, CancellationToken.None);

        Assert.Equal([100, 100, 50], _calls);
        Assert.True(synced.Complete);
        Assert.Equal(250, synced.Accounts.Count);
        Assert.Equal(AuthorizationStatus.Active, synced.Authorization.Status);
        Assert.Equal(Now, synced.Authorization.LastSyncedAt);
        Assert.Null(synced.Authorization.LastError);
    }

    [Fact]
    public async Task A_rejected_token_stops_the_sync_and_asks_for_reauthorisation()
    {
        var grant = Grant("auth_a", Now, Ids(250));

        var synced = await AdAccountSync.DescribeAsync(grant, Describe(call => call == 2 ? Answers.Failed<AdvertiserInfoList>(TikTokCodes.TokenInvalid, TikTokOutcome.Authorization) : null), Now, CancellationToken.None);

        Assert.Equal(2, _calls.Count);
        Assert.False(synced.Complete);
        Assert.Equal(TikTokCodes.TokenInvalid, synced.RejectedCode);
        Assert.Equal(AuthorizationStatus.ReauthorisationRequired, synced.Authorization.Status);
        Assert.Equal(100, synced.Accounts.Count);
    }

    [Fact]
    public async Task An_outage_records_the_error_and_keeps_the_status()
    {
        var grant = Grant("auth_a", Now, Ids(3));

        var synced = await AdAccountSync.DescribeAsync(grant, Describe(_ => Answers.Failed<AdvertiserInfoList>(TikTokCodes.InternalError, TikTokOutcome.Transient, "busy")), Now, CancellationToken.None);

        Assert.False(synced.Complete);
        Assert.Null(synced.RejectedCode);
        Assert.Equal(AuthorizationStatus.Active, synced.Authorization.Status);
        Assert.Equal("TikTok 50000: busy", synced.Authorization.LastError);
    }

    [Fact]
    public void When_TikTok_cannot_say_what_a_grant_covers_the_last_known_advertisers_stay()
    {
        var grant = Grant("auth_a", Now, "1", "2");

        var outage = AdAccountSync.Regranted(grant, Answers.Failed<AuthorizedAdvertiserList>(TikTokCodes.InternalError, TikTokOutcome.Transient));
        var answered = AdAccountSync.Regranted(grant, Answers.Ok(new AuthorizedAdvertiserList([new("3", "x"), new("1", "y"), new(null, "z"), new("3", "x")])));

        Assert.Equal(["1", "2"], outage.AdvertiserIds);
        Assert.Equal(["1", "3"], answered.AdvertiserIds);
    }

    [Fact]
    public void The_account_list_takes_fresh_details_then_last_known_then_a_bare_entry()
    {
        var grant = Grant("auth_a", Now, "1", "2", "3");
        var state = With(grant) with
        {
            AdAccounts = new Dictionary<string, AdAccountView> { ["2"] = Account("2", "auth_a", "Known"), ["9"] = Account("9", "auth_gone", "Gone") },
        };
        var synced = new AccountSync(grant with { LastSyncedAt = Now }, [Account("1", "auth_a", "Fresh")], false);

        var merged = AdAccountSync.Merge(state, [synced], Now.AddHours(1));

        Assert.Equal(["1", "2", "3"], merged.AdAccounts.Keys.Order());
        Assert.Equal("Fresh", merged.AdAccounts["1"].Name);
        Assert.Equal("Known", merged.AdAccounts["2"].Name);
        Assert.Null(merged.AdAccounts["3"].Name);
        Assert.Equal(Now.AddHours(1), merged.AdAccounts["3"].SyncedAt);
        Assert.Equal(Now, merged.Authorizations["auth_a"].LastSyncedAt);
    }

    [Fact]
    public void The_sync_is_complete_only_when_every_grant_synced()
    {
        var state = With(Grant("auth_a", Now, "1"));
        var ok = new AccountSync(state.Authorizations["auth_a"], [], true);

        Assert.True(AdAccountSync.Summary(state, [ok]).Complete);
        Assert.False(AdAccountSync.Summary(state, [ok, ok with { Complete = false }]).Complete);
        Assert.False(AdAccountSync.NotConfigured(state).Complete);
    }
}
