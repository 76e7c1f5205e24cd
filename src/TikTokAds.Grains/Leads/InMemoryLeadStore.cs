using System.Collections.Concurrent;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>The embedded default: leads in process memory.</summary>
public sealed class InMemoryLeadStore : ILeadStore
{
    private readonly ConcurrentDictionary<(string, string), LeadRecord> _leads = new();
    private readonly ConcurrentDictionary<(string, string), List<LeadDeliveryView>> _deliveries = new();

    public Task<bool> InsertAsync(LeadRecord lead, CancellationToken cancellationToken)
        => Task.FromResult(_leads.TryAdd((lead.OrganizerId, lead.LeadId), lead));

    public Task<LeadRecord?> GetAsync(string organizerId, string leadId, CancellationToken cancellationToken)
        => Task.FromResult(_leads.GetValueOrDefault((organizerId, leadId)));

    public Task<IReadOnlyList<LeadRecord>> ListAsync(string organizerId, LeadQuery query, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<LeadRecord>>([.. Of(organizerId)
            .Where(l => (query.Status is null || l.Status == query.Status) && (query.PageId is null || l.PageId == query.PageId) && (query.AdId is null || l.AdId == query.AdId))
            .OrderByDescending(l => l.ReceivedAt).ThenByDescending(l => l.LeadId, StringComparer.Ordinal)
            .Take(query.Limit)]);

    public Task<bool> AnySinceAsync(string organizerId, DateTimeOffset since, CancellationToken cancellationToken)
        => Task.FromResult(Of(organizerId).Any(l => l.CreatedAt >= since));

    public Task<IReadOnlyList<LeadRecord>> MatchAsync(string organizerId, IReadOnlyCollection<string> hashes, DateTimeOffset since, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<LeadRecord>>([.. Of(organizerId)
            .Where(l => l.CreatedAt >= since && (l.PhoneSha256 is { } p && hashes.Contains(p) || l.EmailSha256 is { } e && hashes.Contains(e)))
            .OrderBy(l => l.CreatedAt)]);

    public Task<IReadOnlyList<LeadRecord>> DueAsync(string organizerId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<LeadRecord>>([.. Of(organizerId)
            .Where(l => l.Status == LeadStatuses.Pending && l.NextAttemptAt <= now)
            .OrderBy(l => l.NextAttemptAt).Take(limit)]);

    public Task<DateTimeOffset?> NextDueAsync(string organizerId, CancellationToken cancellationToken)
        => Task.FromResult(Of(organizerId).Where(l => l.Status == LeadStatuses.Pending).Min(l => l.NextAttemptAt));

    public Task UpdateAsync(LeadRecord lead, LeadDeliveryView? delivery, CancellationToken cancellationToken)
    {
        _leads[(lead.OrganizerId, lead.LeadId)] = lead;
        if (delivery is not null)
        {
            var list = _deliveries.GetOrAdd((lead.OrganizerId, lead.LeadId), _ => []);
            lock (list)
            {
                list.Add(delivery);
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LeadDeliveryView>> DeliveriesAsync(string organizerId, string leadId, CancellationToken cancellationToken)
    {
        if (!_deliveries.TryGetValue((organizerId, leadId), out var list))
        {
            return Task.FromResult<IReadOnlyList<LeadDeliveryView>>([]);
        }
        lock (list)
        {
            return Task.FromResult<IReadOnlyList<LeadDeliveryView>>([.. list]);
        }
    }

    public Task<IReadOnlyList<LeadFormCount>> CountByFormAsync(string organizerId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<LeadFormCount>>([.. Of(organizerId).GroupBy(l => l.PageId ?? "").Select(g => new LeadFormCount(
            g.Key, g.Select(l => l.FormName).LastOrDefault(n => n is not null), g.Count(),
            g.Count(l => l.Status == LeadStatuses.Forwarded), g.Count(l => l.Status == LeadStatuses.Pending),
            g.Count(l => l.Status == LeadStatuses.NotForwarded), g.Count(l => l.Status == LeadStatuses.Failed)))]);

    public Task<int> PurgeAnswersAsync(string organizerId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var lead in Of(organizerId).Where(l => l.ProtectedFields is not null && l.Status != LeadStatuses.Pending && l.ReceivedAt < cutoff))
        {
            _leads[(organizerId, lead.LeadId)] = lead with { ProtectedFields = null };
            purged++;
        }
        return Task.FromResult(purged);
    }

    private IEnumerable<LeadRecord> Of(string organizerId) => _leads.Values.Where(l => l.OrganizerId == organizerId);
}
