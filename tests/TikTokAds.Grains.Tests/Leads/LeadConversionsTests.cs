using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadConversionsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private static LeadPurchase Purchase(string id, DateTimeOffset at, string? phone = null, string? email = null)
        => new("CompletePayment", id, at.ToUnixTimeSeconds(), email, phone);

    private static PixelEvent Event(string name, string id, string source = "web", string? phone = "ph")
        => new(name, id, source, new EventPayload(name, Now.ToUnixTimeSeconds(), id, new EventUserData(null, phone, null, null, null, null, null, null), null, null, null, null), null);

    [Fact]
    public void A_lead_converts_once_on_its_earliest_purchase_within_the_window_after_it()
    {
        var lead = Lead("7301");
        var phone = lead.PhoneSha256!;
        var purchases = new[]
        {
            Purchase("before", lead.CreatedAt.AddHours(-1), phone),
            Purchase("second", lead.CreatedAt.AddDays(3), phone),
            Purchase("first", lead.CreatedAt.AddDays(1), phone),
            Purchase("too_late", lead.CreatedAt.AddDays(31), phone),
        };

        var plan = LeadConversions.Plan([], [lead, lead], purchases, Window);
        var again = LeadConversions.Plan(["7301"], [lead], purchases, Window);
        var late = LeadConversions.Plan([], [lead], [purchases[0], purchases[3]], Window);

        Assert.Equal("first", Assert.Single(plan).Purchase.EventId);
        Assert.Empty(again);
        Assert.Empty(late);
    }

    [Fact]
    public void Email_matches_too_and_other_hashes_do_not()
    {
        var lead = Lead("7302", answers: new Dictionary<string, string> { ["email"] = "Fan@Example.com" });

        var byEmail = LeadConversions.Plan([], [lead], [Purchase("e", Now.AddDays(1), "other-phone", lead.EmailSha256)], Window);
        var neither = LeadConversions.Plan([], [lead], [Purchase("n", Now.AddDays(1), "other-phone", "other-email")], Window);

        Assert.Single(byEmail);
        Assert.Empty(neither);
    }

    [Fact]
    public void Only_accepted_web_purchases_with_a_hash_are_purchases_and_the_crm_event_carries_the_lead_id()
    {
        var events = new[] { Event("CompletePayment", "a"), Event("CompletePayment", "b"), Event("ViewContent", "c"), Event("Purchase", "d", "crm"), Event("Purchase", "e", phone: null) };
        var outcomes = events.Select((e, i) => new EventOutcome(e.EventId, i == 1 ? EventStatuses.Duplicate : EventStatuses.Accepted, 0, "")).ToList();

        var purchases = LeadConversions.Purchases(events, outcomes);
        var crm = LeadConversions.CrmEvent(Lead("7303"), purchases[0]);

        Assert.Equal(["a"], purchases.Select(p => p.EventId));
        Assert.Equal(("crm", "lead_ticket_7303", "7303"), (crm.EventSource, crm.EventId, crm.Payload.Lead!.LeadId));
        Assert.Equal(purchases[0].EventTime, crm.Payload.EventTime);
    }
}
