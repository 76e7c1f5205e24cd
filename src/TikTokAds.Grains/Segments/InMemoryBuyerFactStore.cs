namespace TikTokAds.Grains.Segments;

/// <summary>
/// The embedded default's buyer facts: same rules as PostgreSQL, kept as long as the process, but at most
/// <paramref name="maxFacts"/> of them, the oldest recorded forgotten first. Every purchase with an email or phone
/// is a fact, so a node taking thousands of them a second held more each second than anything else.
/// </summary>
public sealed class InMemoryBuyerFactStore(int maxFacts = 100_000) : IBuyerFactStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Organizer, string Pixel, string Name, string Id), (BuyerFact Fact, long Seq)> _facts = [];
    /// <summary>Facts in the order they were recorded; an entry whose fact has gone or been recorded again is skipped.</summary>
    private readonly Queue<((string, string, string, string) Key, long Seq)> _order = new();
    private long _seq;

    public Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var fact in facts)
            {
                var key = (fact.OrganizerId, fact.PixelId, fact.EventName, fact.EventId);
                if (_facts.TryAdd(key, (fact, ++_seq)))
                {
                    _order.Enqueue((key, _seq));
                }
            }
            while (_facts.Count > maxFacts && _order.TryDequeue(out var oldest))
            {
                if (_facts.TryGetValue(oldest.Key, out var kept) && kept.Seq == oldest.Seq)
                {
                    _facts.Remove(oldest.Key);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<BuyerFact> found = [.. _facts.Values.Select(v => v.Fact).Where(f => f.OrganizerId == organizerId && f.EventTime >= since && eventNames.Contains(f.EventName))];
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
            var keys = _facts.Where(p => match(p.Value.Fact)).Select(p => p.Key).ToList();
            foreach (var key in keys)
            {
                _facts.Remove(key);
            }
            return keys.Count;
        }
    }
}
