namespace TikTokAds.Contracts.Leads;

/// <summary>
/// One organizer's lead intake (key: organizer id): the callback receiver, the per-ad configuration, every
/// lead received (idempotent on the lead id) and its forwarding, lead forms, subscriptions and pulls.
/// </summary>
public interface ILeadInboxGrain : IGrainWithStringKey
{
    Task<LeadIntegrationView> GetIntegrationAsync();

    Task<LeadIntegrationView> SetCallbackAsync(LeadCallbackSettings settings);

    Task<LeadAdView> ConfigureAdAsync(LeadAdConfig config);

    Task<IReadOnlyList<LeadAdView>> ListAdsAsync();

    Task<bool> RemoveAdAsync(string adId);

    /// <summary>Stores the lead (once per lead id) and queues it for forwarding when its ad is configured.</summary>
    Task<LeadReceipt> ReceiveAsync(IncomingLead lead);

    Task<IReadOnlyList<LeadView>> ListLeadsAsync(LeadQuery query);

    Task<LeadDetail?> GetLeadAsync(string leadId);

    /// <summary>Applies the current configuration to a lead again and, if it may be forwarded, queues it.</summary>
    Task<LeadReceipt> RetryAsync(string leadId);

    Task<LeadFormsResult> SyncFormsAsync(string? advertiserId);

    Task<IReadOnlyList<LeadFormView>> ListFormsAsync();

    Task<LeadSubscribeResult> SubscribeAsync(string advertiserId, string? pageId, string callbackUrl);

    /// <summary>Starts lead-task exports (the fallback when webhooks were missed); they finish in the background.</summary>
    Task<LeadPullResult> PullAsync(string advertiserId, string? pageId, string? adId);
}
