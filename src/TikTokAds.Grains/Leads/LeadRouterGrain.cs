using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

public sealed record LeadRouterState
{
    public IReadOnlyList<LeadRouteEntry> Entries { get; init; } = [];
}

/// <summary>One organizer's claim on an advertiser's leads; PageId null claims every page.</summary>
public sealed record LeadRouteEntry(string OrganizerId, string? PageId);

public sealed class LeadRouterGrain([PersistentState("lead-router", GrainStorage.Name)] IPersistentState<LeadRouterState> state) : Grain, ILeadRouterGrain
{
    public async Task RegisterAsync(string organizerId, string? pageId)
    {
        var entry = new LeadRouteEntry(organizerId, pageId);
        if (!state.State.Entries.Contains(entry))
        {
            state.State = state.State with { Entries = [.. state.State.Entries, entry] };
            await state.WriteStateAsync();
        }
    }

    public async Task UnregisterAsync(string organizerId)
    {
        if (state.State.Entries.Any(e => e.OrganizerId == organizerId))
        {
            state.State = state.State with { Entries = [.. state.State.Entries.Where(e => e.OrganizerId != organizerId)] };
            await state.WriteStateAsync();
        }
    }

    public Task<LeadRoute> RouteAsync(string? pageId)
    {
        var byPage = Organizers(e => pageId is not null && e.PageId == pageId);
        if (byPage.Count == 1)
        {
            return Task.FromResult(new LeadRoute(byPage[0], "page"));
        }
        var byAdvertiser = byPage.Count > 1 ? byPage : Organizers(e => e.PageId is null);
        return Task.FromResult(byAdvertiser.Count switch
        {
            0 => new LeadRoute(null, "no_route"),
            1 => new LeadRoute(byAdvertiser[0], "advertiser"),
            _ => new LeadRoute(null, "ambiguous"),
        });
    }

    private List<string> Organizers(Func<LeadRouteEntry, bool> match)
        => [.. state.State.Entries.Where(match).Select(e => e.OrganizerId).Distinct(StringComparer.Ordinal)];
}
