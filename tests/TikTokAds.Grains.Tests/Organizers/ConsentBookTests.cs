using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class ConsentBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    [Fact]
    public void Only_the_hash_of_the_nonce_is_kept()
    {
        var opened = new ConsentBook([]).Open(Now, Lifetime);

        var consent = Assert.Single(opened.Consents);
        Assert.Equal(ConsentBook.HashOf(opened.Nonce), consent.NonceHash);
        Assert.DoesNotContain(opened.Nonce, consent.NonceHash, StringComparison.Ordinal);
        Assert.Equal(Now + Lifetime, opened.ExpiresAt);
    }

    [Fact]
    public void At_most_fifty_consents_wait_and_the_oldest_go_first()
    {
        IReadOnlyList<PendingConsent> consents = [];
        var first = new ConsentBook(consents).Open(Now, Lifetime);
        consents = first.Consents;
        for (var i = 0; i < ConsentBook.MaxPending; i++)
        {
            consents = new ConsentBook(consents).Open(Now.AddSeconds(i + 1), Lifetime).Consents;
        }

        Assert.Equal(ConsentBook.MaxPending, consents.Count);
        Assert.Equal(AuthorizationOutcome.StateUnknown, new ConsentBook(consents).Redeem(first.Nonce, Now).Refusal?.Outcome);
    }

    [Fact]
    public void Opening_a_consent_drops_the_expired_ones()
    {
        var old = new ConsentBook([]).Open(Now, Lifetime);

        var later = new ConsentBook(old.Consents).Open(Now + Lifetime, Lifetime);

        Assert.Single(later.Consents);
    }

    [Fact]
    public void A_consent_works_once()
    {
        var opened = new ConsentBook([]).Open(Now, Lifetime);

        var first = new ConsentBook(opened.Consents).Redeem(opened.Nonce, Now.AddMinutes(1));
        var replay = new ConsentBook(first.Consents).Redeem(opened.Nonce, Now.AddMinutes(2));

        Assert.Null(first.Refusal);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(first.Consents).UsedAt);
        Assert.Equal(AuthorizationOutcome.StateUsed, replay.Refusal?.Outcome);
    }

    [Fact]
    public void An_expired_consent_is_refused_and_not_burnt()
    {
        var opened = new ConsentBook([]).Open(Now, Lifetime);

        var late = new ConsentBook(opened.Consents).Redeem(opened.Nonce, Now + Lifetime);

        Assert.Equal(AuthorizationOutcome.StateExpired, late.Refusal?.Outcome);
        Assert.Null(Assert.Single(late.Consents).UsedAt);
    }

    [Fact]
    public void An_unknown_nonce_is_refused()
    {
        var opened = new ConsentBook([]).Open(Now, Lifetime);

        var result = new ConsentBook(opened.Consents).Redeem("not-a-nonce-we-issued", Now);

        Assert.Equal(AuthorizationOutcome.StateUnknown, result.Refusal?.Outcome);
    }
}
