using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// Why a lead is held back instead of forwarded. One rule for a lead that arrives, one that is retried, and one
/// whose turn to be sent has come (the settings may have changed since it was queued).
/// </summary>
public static class LeadHoldBack
{
    /// <summary>
    /// Null when the lead may be forwarded, else the <see cref="LeadReasons"/> code. The organizer is asked about
    /// the ad account (<paramref name="access"/>, an <see cref="AdvertiserAccessState"/>) only when the ad passes.
    /// </summary>
    public static async Task<string?> ReasonAsync(LeadInboxState inbox, string? adId, string advertiserId, Func<Task<string>> access)
        => AdProblem(inbox, adId, advertiserId)
            ?? (await access() == AdvertiserAccessState.IntegrationDeleted ? LeadReasons.IntegrationDeleted : null)
            ?? CallbackProblem(inbox);

    /// <summary>What the inbox's own settings say, without asking the organizer: checked again before each call-back.</summary>
    public static string? Settings(LeadInboxState inbox, string? adId, string advertiserId)
        => AdProblem(inbox, adId, advertiserId) ?? CallbackProblem(inbox);

    /// <summary>A lead with no reason to hold it back waits to be forwarded; any other is recorded as not forwarded.</summary>
    public static string StatusFor(string? reason) => reason is null ? LeadStatuses.Pending : LeadStatuses.NotForwarded;

    /// <summary>An ad that is not configured (or is configured for another account), or is disabled, holds its leads back.</summary>
    private static string? AdProblem(LeadInboxState inbox, string? adId, string advertiserId)
        => adId is null || !inbox.Ads.TryGetValue(adId, out var ad) || ad.AdvertiserId != advertiserId ? LeadReasons.AdNotConfigured
            : !ad.Enabled ? LeadReasons.AdDisabled
            : null;

    private static string? CallbackProblem(LeadInboxState inbox) => inbox.CallbackUrl is null ? LeadReasons.NoCallbackUrl : null;
}
