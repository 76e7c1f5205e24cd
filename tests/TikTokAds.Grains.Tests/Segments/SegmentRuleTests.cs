using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Segments;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Tests.Segments;

public sealed class SegmentRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static SegmentDefinition Rule(int? minEvents = 2, decimal? minValue = 200m, string? currency = "EUR", int lookback = 30, string[]? contentIds = null, string[]? identifiers = null)
        => new("Buyers", ["CompletePayment"], lookback, minEvents, minValue, currency, contentIds ?? [], identifiers ?? ["email", "phone"], "7000", "aud_x", SegmentSchedules.Instant, 3);

    private static BuyerFact Fact(string? email, decimal? value = 50m, string currency = "EUR", int daysAgo = 1, string name = "CompletePayment", string? phone = null, string[]? contents = null)
        => new("org_a", "PX1", name, Guid.NewGuid().ToString(), Now.AddDays(-daysAgo), email, phone, value, currency, contents ?? [], Now);

    private static string E(string hash) => $"EMAIL_SHA256:{hash}";

    [Fact]
    public void Two_purchases_qualify_a_buyer_one_does_not()
    {
        var members = SegmentRule.Evaluate(Rule(), [Fact("a"), Fact("a"), Fact("b")], Now);

        Assert.Equal([E("a")], members.Members);
        Assert.Equal(1, members.Total);
    }

    [Fact]
    public void One_purchase_of_at_least_min_value_qualifies_a_buyer()
    {
        var members = SegmentRule.Evaluate(Rule(), [Fact("a", 200m), Fact("b", 199.99m)], Now);

        Assert.Equal([E("a")], members.Members);
    }

    [Fact]
    public void Values_in_another_currency_do_not_count_towards_min_value()
    {
        var members = SegmentRule.Evaluate(Rule(minEvents: 5), [Fact("a", 150m), Fact("a", 100m, "RON"), Fact("b", 150m), Fact("b", 60m, "eur")], Now);

        Assert.Equal([E("b")], members.Members);
    }

    [Fact]
    public void Events_before_the_look_back_window_and_other_event_names_do_not_count()
    {
        var members = SegmentRule.Evaluate(Rule(lookback: 30), [Fact("a"), Fact("a", daysAgo: 31), Fact("b"), Fact("b", name: "AddToCart")], Now);

        Assert.Empty(members.Members);
    }

    [Fact]
    public void Listed_content_ids_restrict_the_qualifying_events()
    {
        var members = SegmentRule.Evaluate(Rule(contentIds: ["vip"]), [Fact("a", contents: ["vip"]), Fact("a", contents: ["ga", "vip"]), Fact("b", contents: ["ga"]), Fact("b", contents: ["ga"])], Now);

        Assert.Equal([E("a")], members.Members);
    }

    [Fact]
    public void Identifiers_choose_which_hashes_are_sent_and_buyers_without_them_are_not_valid()
    {
        var facts = new[] { Fact("a", 300m, phone: "pa"), Fact("b", 300m), Fact(null, 300m, phone: "pc") };

        var both = SegmentRule.Evaluate(Rule(), facts, Now);
        var phoneOnly = SegmentRule.Evaluate(Rule(identifiers: ["phone"]), facts, Now);

        Assert.Equal([E("a"), E("b"), "PHONE_SHA256:pa", "PHONE_SHA256:pc"], both.Members.Order(StringComparer.Ordinal));
        Assert.Equal((3, 3), (both.Total, both.Valid));
        Assert.Equal(["PHONE_SHA256:pa", "PHONE_SHA256:pc"], phoneOnly.Members.Order(StringComparer.Ordinal));
        Assert.Equal((3, 2), (phoneOnly.Total, phoneOnly.Valid));
    }

    [Theory]
    [InlineData(null, null, 1, 0, true)]
    [InlineData(3, null, 2, 1000, false)]
    [InlineData(3, null, 3, 0, true)]
    [InlineData(null, 100, 9, 99.99, false)]
    [InlineData(null, 100, 1, 100, true)]
    [InlineData(2, 100, 1, 100, true)]
    [InlineData(2, 100, 2, 0, true)]
    [InlineData(2, 100, 1, 99, false)]
    public void A_buyer_qualifies_with_min_events_or_min_value(int? minEvents, int? minValue, int events, double value, bool qualifies)
        => Assert.Equal(qualifies, SegmentRule.Qualifies(Rule(minEvents, minValue), events, (decimal)value));

    [Fact]
    public void The_fact_of_a_consent_skipped_event_is_not_kept()
    {
        var user = new EventUserData("ea", "pa", null, null, null, null, null, null);
        var payload = new EventPayload("CompletePayment", Now.ToUnixTimeSeconds(), "e1", user, new EventPropertyData([new EventContentData("vip", null, null, null, 1, null)], null, "eur", 10m, null, null, null, null), null, null, null);

        var kept = BuyerFact.Of(("org_a", "PX1"), new PixelEvent("CompletePayment", "e1", "web", payload, null), Now);
        var skipped = BuyerFact.Of(("org_a", "PX1"), new PixelEvent("CompletePayment", "e1", "web", payload, "no consent"), Now);
        var anonymous = BuyerFact.Of(("org_a", "PX1"), new PixelEvent("CompletePayment", "e1", "web", payload with { User = user with { EmailSha256 = null, PhoneSha256 = null } }, null), Now);

        Assert.Equal(("org_a", "PX1", "ea", "pa", "EUR", 10m), (kept!.OrganizerId, kept.PixelId, kept.EmailSha256, kept.PhoneSha256, kept.Currency, kept.Value));
        Assert.Equal(["vip"], kept.ContentIds);
        Assert.Null(skipped);
        Assert.Null(anonymous);
    }
}
