using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>A lead's record as it is stored or queued again, and the receipts its sender gets.</summary>
public static class LeadIntake
{
    /// <summary>A new lead: pending from <paramref name="now"/> unless <paramref name="reason"/> holds it back.</summary>
    public static LeadRecord Record(string organizerId, IncomingLead lead, LeadInboxState inbox, string? reason, DateTimeOffset now) => new(
        organizerId, lead.LeadId, lead.AdvertiserId, lead.PageId, FormName(inbox, lead.AdId, lead.PageId), lead.AdId, lead.AdName,
        lead.CampaignId, lead.CampaignName, lead.AdgroupId, lead.AdgroupName, lead.Source, lead.CreatedAt, now,
        LeadHoldBack.StatusFor(reason), reason, 0, reason is null ? now : null, null, null, lead.ProtectedFields, lead.FieldNames, lead.PhoneSha256, lead.EmailSha256);

    /// <summary>A retried lead under the current settings.</summary>
    public static LeadRecord Requeue(LeadRecord lead, LeadInboxState inbox, string? reason, DateTimeOffset now) => lead with
    {
        Status = LeadHoldBack.StatusFor(reason),
        Reason = reason,
        NextAttemptAt = reason is null ? now : null,
        FormName = FormName(inbox, lead.AdId, lead.PageId) ?? lead.FormName,
    };

    /// <summary>Why a lead cannot be retried (always something when it is unknown); null when it can.</summary>
    public static LeadReceipt? RetryRefusal(string leadId, LeadRecord? lead) => lead switch
    {
        null => new LeadReceipt(false, false, "", null, $"Lead {leadId} is unknown."),
        { Status: LeadStatuses.Forwarded } => new LeadReceipt(true, false, lead.Status, lead.Reason, "Already forwarded."),
        { Status: LeadStatuses.Pending } => new LeadReceipt(true, false, lead.Status, lead.Reason, "Already queued."),
        { ProtectedFields: null } => new LeadReceipt(true, false, lead.Status, lead.Reason, "The lead's answers are past their retention and can no longer be forwarded."),
        _ => null,
    };

    public static LeadReceipt Stored(LeadRecord lead)
        => new(true, false, lead.Status, lead.Reason, lead.Reason is null ? "Stored; it is being forwarded." : $"Stored, not forwarded: {lead.Reason}.");

    /// <summary>The lead was already stored: what became of it (or, if it vanished meanwhile, of the copy offered).</summary>
    public static LeadReceipt Duplicate(LeadRecord? existing, LeadRecord offered)
        => new(true, true, existing?.Status ?? offered.Status, existing?.Reason, "Already received; TikTok delivers at least once.");

    public static LeadReceipt Requeued(LeadRecord lead)
        => new(true, false, lead.Status, lead.Reason, lead.Reason is null ? "Queued for forwarding." : $"Still not forwarded: {lead.Reason}.");

    /// <summary>The ad's own form name wins over the synced form's title.</summary>
    public static string? FormName(LeadInboxState inbox, string? adId, string? pageId)
        => (adId is not null ? inbox.Ads.GetValueOrDefault(adId)?.FormName : null) ?? (pageId is not null ? inbox.Forms.GetValueOrDefault(pageId)?.Title : null);
}
