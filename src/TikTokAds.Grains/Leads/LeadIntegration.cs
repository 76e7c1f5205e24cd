using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// What an organizer sees of its lead integration: each ad's status with the fix for seed 001's typical errors,
/// the worst problem as the overall status, and the lead forms with their counts.
/// </summary>
public static class LeadIntegration
{
    public static LeadIntegrationView View(LeadInboxState inbox, IReadOnlyList<LeadAdView> ads)
    {
        var problems = new List<LeadProblem>();
        if (inbox.TikTokProblem is { } tiktok)
        {
            problems.Add(new LeadProblem(tiktok.Code, tiktok.Detail, FixFor(tiktok.Code), null));
        }
        problems.AddRange(ads.Where(a => a.Detail is not null).Select(a => new LeadProblem(a.Status, a.Detail!, a.Fix!, a.AdId)));
        var status = problems.Select(p => p.Code).OrderBy(Severity).FirstOrDefault() ?? LeadIntegrationStatus.Ok;
        return new LeadIntegrationView(status, problems, inbox.CallbackUrl, inbox.ProtectedSigningSecret is not null, ads, inbox.Subscriptions, inbox.Pulls);
    }

    /// <summary>The ads by id, each with its status; <paramref name="access"/> asks the organizer once per ad account.</summary>
    public static async Task<IReadOnlyList<LeadAdView>> AdsAsync(LeadInboxState inbox, Func<string, Task<string>> access)
    {
        var byAdvertiser = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var advertiserId in inbox.Ads.Values.Select(a => a.AdvertiserId).Distinct(StringComparer.Ordinal))
        {
            byAdvertiser[advertiserId] = await access(advertiserId);
        }
        return [.. inbox.Ads.Values.OrderBy(a => a.AdId, StringComparer.Ordinal).Select(ad => Ad(inbox, ad, byAdvertiser[ad.AdvertiserId]))];
    }

    /// <summary>One ad's status; <paramref name="access"/> is the organizer's access to its ad account (an <see cref="AdvertiserAccessState"/>).</summary>
    public static LeadAdView Ad(LeadInboxState inbox, LeadAdRecord ad, string access)
    {
        var (status, detail) = ad switch
        {
            { Enabled: false } => (LeadAdStatus.Disabled, (string?)null),
            _ when access == AdvertiserAccessState.IntegrationDeleted
                => (LeadIntegrationStatus.IntegrationDeleted, $"The integration that granted ad account {ad.AdvertiserId} was deleted."),
            _ when access == AdvertiserAccessState.ReauthorisationRequired
                => (LeadIntegrationStatus.ReauthorisationRequired, $"No access to ad account {ad.AdvertiserId}, or missing rights: TikTok rejected the token."),
            _ when access == AdvertiserAccessState.Unknown
                => (LeadIntegrationStatus.Misconfigured, $"Ad account {ad.AdvertiserId} is not granted by any TikTok authorization of this organizer."),
            _ when inbox.CallbackUrl is null => (LeadIntegrationStatus.Misconfigured, "No call-back URL is set."),
            _ => (LeadAdStatus.Active, null),
        };
        return new LeadAdView(ad.AdId, ad.AdvertiserId, ad.FormName, ad.Utm, ad.TextTemplate, ad.Enabled, status, detail, detail is null ? null : FixFor(status), ad.UpdatedAt);
    }

    /// <summary>Every form synced from TikTok or seen on a lead, by page id, with its lead counts.</summary>
    public static IReadOnlyList<LeadFormView> Forms(LeadInboxState inbox, IReadOnlyList<LeadFormCount> counts)
    {
        var byPage = counts.ToDictionary(c => c.PageId);
        var pages = inbox.Forms.Keys.Union(byPage.Keys.Where(k => k.Length > 0)).Order(StringComparer.Ordinal);
        return [.. pages.Select(page =>
        {
            var form = inbox.Forms.GetValueOrDefault(page);
            var count = byPage.GetValueOrDefault(page) ?? new LeadFormCount(page, null, 0, 0, 0, 0, 0);
            return new LeadFormView(page, form?.AdvertiserId, form?.Title ?? count.FormName, form?.Status, form?.SyncedAt, count.Leads, count.Forwarded, count.Pending, count.NotForwarded, count.Failed);
        })];
    }

    /// <summary>Seed 001's typical errors, each with its fix.</summary>
    public static string FixFor(string code) => code switch
    {
        LeadIntegrationStatus.ReauthorisationRequired => "Refresh the token: connect TikTok again (GET /oauth/start) with an admin account that has Ads, Creative and Lead Management rights, then re-enable the widget.",
        LeadIntegrationStatus.IntegrationDeleted => "Create a new TikTok integration (GET /oauth/start) and select its ad account in this ad's settings.",
        _ => "Check the widget settings (call-back URL, ad account, ad id) or set them up again.",
    };

    private static int Severity(string code) => code switch
    {
        LeadIntegrationStatus.ReauthorisationRequired => 0,
        LeadIntegrationStatus.IntegrationDeleted => 1,
        _ => 2,
    };
}
