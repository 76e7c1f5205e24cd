using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>Leads and their delivery attempts (PostgreSQL: leads, lead_deliveries).</summary>
public interface ILeadStore
{
    /// <summary>Stores the lead unless one with its id exists for the organizer; true when it was new.</summary>
    Task<bool> InsertAsync(LeadRecord lead, CancellationToken cancellationToken);

    Task<LeadRecord?> GetAsync(string organizerId, string leadId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<LeadRecord>> ListAsync(string organizerId, LeadQuery query, CancellationToken cancellationToken);

    /// <summary>Pending leads whose next attempt is due, oldest first.</summary>
    Task<IReadOnlyList<LeadRecord>> DueAsync(string organizerId, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest next attempt of any pending lead.</summary>
    Task<DateTimeOffset?> NextDueAsync(string organizerId, CancellationToken cancellationToken);

    /// <summary>Writes the lead's status fields (and ciphertext), and the delivery attempt if any, together.</summary>
    Task UpdateAsync(LeadRecord lead, LeadDeliveryView? delivery, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadDeliveryView>> DeliveriesAsync(string organizerId, string leadId, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadFormCount>> CountByFormAsync(string organizerId, CancellationToken cancellationToken);

    /// <summary>Whether the organizer has any lead created at or after <paramref name="since"/>.</summary>
    Task<bool> AnySinceAsync(string organizerId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Leads created at or after <paramref name="since"/> whose phone or email hash is one of <paramref name="hashes"/>.</summary>
    Task<IReadOnlyList<LeadRecord>> MatchAsync(string organizerId, IReadOnlyCollection<string> hashes, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Drops the ciphertext of leads received before <paramref name="cutoff"/> that are not pending.</summary>
    Task<int> PurgeAnswersAsync(string organizerId, DateTimeOffset cutoff, CancellationToken cancellationToken);
}
