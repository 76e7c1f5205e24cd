namespace TikTokAds.Contracts.Leads;

/// <summary>
/// Which organizer a TikTok lead belongs to, keyed by advertiser id. Organizers register the advertisers
/// (and, for subscriptions, the pages) they take leads for.
/// </summary>
public interface ILeadRouterGrain : IGrainWithStringKey
{
    /// <summary>Registers the organizer for the advertiser's leads; <paramref name="pageId"/> null means every page.</summary>
    Task RegisterAsync(string organizerId, string? pageId, CancellationToken cancellationToken = default);

    /// <summary>Removes every registration of the organizer for this advertiser.</summary>
    Task UnregisterAsync(string organizerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organizer for a lead of this page: an organizer registered for the page wins; otherwise the one
    /// organizer registered for every page. Null when none, or when several claim it equally.
    /// </summary>
    Task<LeadRoute> RouteAsync(string? pageId);
}

/// <summary>Reason: page, advertiser, no_route or ambiguous.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadRoute(string? OrganizerId, string Reason);
