namespace TikTokAds.Contracts.Leads;

/// <summary>
/// One organizer's lead intake (key: organizer id): the callback receiver, the per-ad configuration, every
/// lead received (idempotent on the lead id) and its forwarding, lead forms, subscriptions and pulls.
/// Cancelling a call's token cancels its work in the grain (storage, TikTok and organizer calls).
/// </summary>
public interface ILeadInboxGrain : IGrainWithStringKey
{
    Task<LeadIntegrationView> GetIntegrationAsync(CancellationToken cancellationToken = default);

    Task<LeadIntegrationView> SetCallbackAsync(LeadCallbackSettings settings, CancellationToken cancellationToken = default);

    Task<LeadAdView> ConfigureAdAsync(LeadAdConfig config, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LeadAdView>> ListAdsAsync(CancellationToken cancellationToken = default);

    Task<bool> RemoveAdAsync(string adId, CancellationToken cancellationToken = default);

    /// <summary>Stores the lead (once per lead id) and queues it for forwarding when its ad is configured.</summary>
    Task<LeadReceipt> ReceiveAsync(IncomingLead lead, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LeadView>> ListLeadsAsync(LeadQuery query, CancellationToken cancellationToken = default);

    Task<LeadDetail?> GetLeadAsync(string leadId, CancellationToken cancellationToken = default);

    /// <summary>Applies the current configuration to a lead again and, if it may be forwarded, queues it.</summary>
    Task<LeadReceipt> RetryAsync(string leadId, CancellationToken cancellationToken = default);

    Task<LeadFormsResult> SyncFormsAsync(string? advertiserId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LeadFormView>> ListFormsAsync(CancellationToken cancellationToken = default);

    Task<LeadSubscribeResult> SubscribeAsync(string advertiserId, string? pageId, string callbackUrl, CancellationToken cancellationToken = default);

    /// <summary>Starts lead-task exports (the fallback when webhooks were missed); they finish in the background.</summary>
    Task<LeadPullResult> PullAsync(string advertiserId, string? pageId, string? adId, CancellationToken cancellationToken = default);
}
