using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>One advertiser's lead routing: the organizers that claimed its leads (see <see cref="LeadRoutes"/>).</summary>
public sealed class LeadRouterGrain([PersistentState("lead-router", GrainStorage.Name)] IPersistentState<LeadRouterState> state) : Grain, ILeadRouterGrain
{
    public async Task RegisterAsync(string organizerId, string? pageId, CancellationToken cancellationToken = default)
    {
        var entry = new LeadRouteEntry(organizerId, pageId);
        if (!state.State.Entries.Contains(entry))
        {
            await state.WriteAsync(state.State with { Entries = [.. state.State.Entries, entry] }, cancellationToken);
        }
    }

    public async Task UnregisterAsync(string organizerId, CancellationToken cancellationToken = default)
    {
        if (state.State.Entries.Any(e => e.OrganizerId == organizerId))
        {
            await state.WriteAsync(state.State with { Entries = [.. state.State.Entries.Where(e => e.OrganizerId != organizerId)] }, cancellationToken);
        }
    }

    public Task<LeadRoute> RouteAsync(string? pageId) => Task.FromResult(LeadRoutes.Find(state.State.Entries, pageId));
}
