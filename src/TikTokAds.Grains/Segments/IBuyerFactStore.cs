namespace TikTokAds.Grains.Segments;

/// <summary>Buyer facts (buyer_fact_packs and, from before sql/0021, buyer_facts; or memory in the embedded default).</summary>
public interface IBuyerFactStore
{
    /// <summary>Records the facts; one already recorded for the same (organizer, pixel, event, event_id) is kept as it is.</summary>
    Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken);

    /// <summary>The organizer's facts of these event names with event_time at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Per buyer of the organizer, the events that qualify for the definition since <paramref name="since"/>, as <see cref="SegmentRule.Totals"/> counts them.</summary>
    Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes every fact of the organizer; how many there were.</summary>
    Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes facts whose event_time is before the organizer's cut-off: <paramref name="overrides"/> for the
    /// organizers listed there, <paramref name="defaultCutoff"/> for every other.
    /// </summary>
    Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken);
}
