using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class AuthorizationGrantsTests
{
    [Fact]
    public void A_new_consent_for_the_same_advertisers_replaces_the_old_grant()
    {
        var state = With(Grant("auth_old", Now, "1", "2"));

        var granted = AuthorizationGrants.Grant(state, Grant("auth_new", Now.AddDays(1), "1", "2"));

        Assert.Equal(["auth_new"], granted.Authorizations.Keys);
    }

    [Fact]
    public void A_grant_covering_more_advertisers_replaces_the_narrower_one_but_not_a_partly_overlapping_one()
    {
        var state = With(Grant("auth_narrow", Now, "1"), Grant("auth_overlap", Now, "2", "9"));

        var granted = AuthorizationGrants.Grant(state, Grant("auth_new", Now.AddDays(1), "1", "2", "3"));

        Assert.Equal(["auth_new", "auth_overlap"], granted.Authorizations.Keys.Order());
    }

    [Fact]
    public void Granting_again_an_advertiser_that_was_deleted_clears_its_deletion()
    {
        var state = With() with { DeletedAdvertisers = ["1", "5"] };

        var granted = AuthorizationGrants.Grant(state, Grant("auth_new", Now, "1"));

        Assert.Equal(["5"], granted.DeletedAdvertisers);
    }

    [Fact]
    public void Removing_a_grant_orphans_only_the_advertisers_no_other_grant_covers()
    {
        var state = With(Grant("auth_a", Now, "1", "2"), Grant("auth_b", Now, "2")) with
        {
            AdAccounts = new Dictionary<string, AdAccountView> { ["1"] = Account("1", "auth_a"), ["2"] = Account("2", "auth_a") },
        };

        var removal = AuthorizationGrants.Remove(state, "auth_a");

        Assert.NotNull(removal);
        Assert.Equal(["1"], removal.Orphaned);
        Assert.Equal(["auth_b"], removal.State.Authorizations.Keys);
        Assert.Equal(["2"], removal.State.AdAccounts.Keys);
        Assert.Equal(["1"], removal.State.DeletedAdvertisers);
    }

    [Fact]
    public void Removing_an_unknown_grant_changes_nothing()
    {
        Assert.Null(AuthorizationGrants.Remove(With(Grant("auth_a", Now, "1")), "auth_zzz"));
    }

    [Fact]
    public void The_new_grant_holds_each_advertiser_once_in_order_and_the_encrypted_token()
    {
        var record = AuthorizationGrants.NewRecord(new AccessTokenResult("plain", ["3", "1", "3"], [4, 5]), "v1.k1.cipher", Now);

        Assert.StartsWith("auth_", record.Id, StringComparison.Ordinal);
        Assert.Equal(["1", "3"], record.AdvertiserIds);
        Assert.Equal("v1.k1.cipher", record.ProtectedToken);
        Assert.Equal(AuthorizationStatus.Active, record.Status);
    }

    [Theory]
    [InlineData(TikTokCodes.AuthCodeUsed, TikTokOutcome.Authorization, AuthorizationOutcome.CodeRejected)]
    [InlineData(TikTokCodes.InvalidParameters, TikTokOutcome.InvalidRequest, AuthorizationOutcome.CodeRejected)]
    [InlineData(TikTokCodes.InternalError, TikTokOutcome.Transient, AuthorizationOutcome.TikTokUnavailable)]
    public void A_failed_exchange_says_why(int code, TikTokOutcome outcome, AuthorizationOutcome expected)
    {
        var refusal = AuthorizationGrants.RefusalOf(Answers.Failed<AccessTokenResult>(code, outcome));

        Assert.Equal(expected, refusal?.Outcome);
        Assert.Equal(code, refusal?.TikTokCode);
    }

    [Fact]
    public void An_exchange_without_a_token_is_refused_and_one_with_a_token_is_not()
    {
        Assert.Equal(AuthorizationOutcome.TikTokRefused, AuthorizationGrants.RefusalOf(Answers.Ok(new AccessTokenResult(null, ["1"], null)))?.Outcome);
        Assert.Null(AuthorizationGrants.RefusalOf(Answers.Ok(new AccessTokenResult("token", ["1"], null))));
    }

    [Fact]
    public void No_consent_completes_for_an_unknown_organizer_or_without_a_TikTok_app()
    {
        Assert.Equal(AuthorizationOutcome.OrganizerNotFound, AuthorizationGrants.Unavailable(new OrganizerState(), hasApp: true)?.Outcome);
        Assert.Equal(AuthorizationOutcome.NotConfigured, AuthorizationGrants.Unavailable(With(), hasApp: false)?.Outcome);
        Assert.Null(AuthorizationGrants.Unavailable(With(), hasApp: true));
    }
}
