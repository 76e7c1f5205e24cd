using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>Which organizer takes a lead of an advertiser's page, from the organizers' claims.</summary>
public static class LeadRoutes
{
    /// <summary>
    /// The one organizer that claimed the page wins; otherwise the one that claimed every page. None, or several
    /// claiming equally, routes nowhere: a lead must never go to the wrong tenant.
    /// </summary>
    public static LeadRoute Find(IReadOnlyList<LeadRouteEntry> entries, string? pageId)
    {
        var byPage = Organizers(entries, e => pageId is not null && e.PageId == pageId);
        if (byPage.Count == 1)
        {
            return new LeadRoute(byPage[0], "page");
        }
        var byAdvertiser = byPage.Count > 1 ? byPage : Organizers(entries, e => e.PageId is null);
        return byAdvertiser.Count switch
        {
            0 => new LeadRoute(null, "no_route"),
            1 => new LeadRoute(byAdvertiser[0], "advertiser"),
            _ => new LeadRoute(null, "ambiguous"),
        };
    }

    private static List<string> Organizers(IReadOnlyList<LeadRouteEntry> entries, Func<LeadRouteEntry, bool> match)
        => [.. entries.Where(match).Select(e => e.OrganizerId).Distinct(StringComparer.Ordinal)];
}
