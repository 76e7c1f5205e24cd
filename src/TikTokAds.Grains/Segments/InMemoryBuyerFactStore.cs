namespace TikTokAds.Grains.Segments;

/// <summary>The embedded default's buyer facts: same rules as PostgreSQL, kept as long as the process.</summary>
public sealed class InMemoryBuyerFactStore : IBuyerFactStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Organizer, string Pixel, string Name, string Id), BuyerFact> _facts = [];

    public Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var fact in facts)
            {
                _facts.TryAdd((fact.OrganizerId, fact.PixelId, fact.EventName, fact.EventId), fact);
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<BuyerFact> found = [.. _facts.Values.Where(f => f.OrganizerId == organizerId && f.EventTime >= since && eventNames.Contains(f.EventName))];
            return Task.FromResult(found);
        }
    }

    public async Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken)
        => SegmentRule.Totals(definition, await QueryAsync(organizerId, definition.EventNames, since, cancellationToken), since);

    public Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken)
        => Task.FromResult(Remove(f => f.OrganizerId == organizerId));

    public Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
        => Task.FromResult(Remove(f => f.EventTime < overrides.GetValueOrDefault(f.OrganizerId, defaultCutoff)));

    private long Remove(Func<BuyerFact, bool> match)
    {
        lock (_lock)
        {
            var keys = _facts.Where(p => match(p.Value)).Select(p => p.Key).ToList();
            foreach (var key in keys)
            {
                _facts.Remove(key);
            }
            return keys.Count;
        }
    }
}
