using System.Globalization;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Leads;

/// <summary>The leads in a lead-task export (CSV): known columns describe the lead, every other column is an answer.</summary>
public static class LeadTaskImport
{
    private static readonly string[] KnownColumns = ["lead_id", "created_time", "ad_id", "page_id", "ad_name", "campaign_id", "campaign_name", "adgroup_id", "adgroup_name"];

    /// <summary>Each row with a lead id, its answers encrypted for <paramref name="organizerId"/>; the pull fills in the page and ad a row lacks.</summary>
    public static IEnumerable<IncomingLead> Leads(string csv, LeadPullView pull, string organizerId, TokenProtector protector, DateTimeOffset now)
    {
        foreach (var row in LeadCsv.Read(csv))
        {
            if (row.GetValueOrDefault("lead_id") is not { Length: > 0 } leadId)
            {
                continue;
            }
            var answers = row.Where(c => !KnownColumns.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            var created = DateTimeOffset.TryParse(row.GetValueOrDefault("created_time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : now;
            yield return LeadAnswers.Incoming(organizerId, protector, leadId, pull.AdvertiserId, Blank(row.GetValueOrDefault("page_id")) ?? pull.PageId,
                Blank(row.GetValueOrDefault("ad_id")) ?? pull.AdId, Blank(row.GetValueOrDefault("ad_name")), Blank(row.GetValueOrDefault("campaign_id")),
                Blank(row.GetValueOrDefault("campaign_name")), Blank(row.GetValueOrDefault("adgroup_id")), Blank(row.GetValueOrDefault("adgroup_name")),
                created, LeadSources.Pull, answers);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
