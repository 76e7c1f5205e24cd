using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// Lead to ticket: which accepted events are purchases a lead could have made, which lead each purchase
/// converts, and the CRM event that tells TikTok so.
/// </summary>
public static class LeadConversions
{
    public const string CrmSource = "crm";
    public const string LeadEventSource = "TikTokAds";

    private static readonly HashSet<string> PurchaseEvents = new(StringComparer.Ordinal) { "CompletePayment", "Purchase" };

    /// <summary>Purchases just accepted (not duplicates, skipped or CRM events themselves) that carry a phone or email hash.</summary>
    public static IReadOnlyList<LeadPurchase> Purchases(IReadOnlyList<PixelEvent> events, IReadOnlyList<EventOutcome> outcomes)
        => [.. events.Zip(outcomes)
            .Where(p => p.Second.Status == EventStatuses.Accepted && p.First.EventSource != CrmSource && PurchaseEvents.Contains(p.First.EventName))
            .Select(p => new LeadPurchase(p.First.EventName, p.First.EventId, p.First.Payload.EventTime, p.First.Payload.User?.EmailSha256, p.First.Payload.User?.PhoneSha256))
            .Where(p => p.EmailSha256 is not null || p.PhoneSha256 is not null)];

    /// <summary>
    /// For each lead not converted yet, the earliest purchase with its phone or email hash made within the window
    /// after the lead was created (to the second, as event times are): one conversion per lead, however often it bought.
    /// </summary>
    public static IReadOnlyList<(LeadRecord Lead, LeadPurchase Purchase)> Plan(
        IReadOnlyCollection<string> converted, IReadOnlyList<LeadRecord> leads, IReadOnlyList<LeadPurchase> purchases, TimeSpan window)
        => [.. leads
            .Where(l => !converted.Contains(l.LeadId))
            .DistinctBy(l => l.LeadId)
            .Select(lead => (Lead: lead, Purchase: purchases
                .Where(p => Matches(lead, p) && p.EventTime >= lead.CreatedAt.ToUnixTimeSeconds() && DateTimeOffset.FromUnixTimeSeconds(p.EventTime) <= lead.CreatedAt + window)
                .OrderBy(p => p.EventTime)
                .FirstOrDefault()))
            .Where(c => c.Purchase is not null)
            .Select(c => (c.Lead, c.Purchase!))];

    /// <summary>The CRM event: the purchase's name, time and hashes, with the lead's id; its event id is the lead's, so TikTok dedups any repeat.</summary>
    public static PixelEvent CrmEvent(LeadRecord lead, LeadPurchase purchase)
    {
        var eventId = $"lead_ticket_{lead.LeadId}";
        var user = new EventUserData(purchase.EmailSha256, purchase.PhoneSha256, null, null, null, null, null, null);
        var payload = new EventPayload(purchase.EventName, purchase.EventTime, eventId, user, null, null, new EventLeadData(lead.LeadId, LeadEventSource), null);
        return new PixelEvent(purchase.EventName, eventId, CrmSource, payload, null);
    }

    private static bool Matches(LeadRecord lead, LeadPurchase purchase)
        => (lead.PhoneSha256 is not null && lead.PhoneSha256 == purchase.PhoneSha256) || (lead.EmailSha256 is not null && lead.EmailSha256 == purchase.EmailSha256);
}
