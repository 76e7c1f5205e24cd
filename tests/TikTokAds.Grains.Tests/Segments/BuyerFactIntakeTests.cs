using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Tests.Segments;

/// <summary>Buyer facts written by a pixel's intake, and purged by retention, on the in-memory stores.</summary>
public sealed class BuyerFactIntakeTests
{
    private const string Key = "org_test/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DomainMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
    private readonly FlakyFacts _facts = new();
    private readonly InMemoryEventStore _events;
    private readonly PixelIntake _intake;

    public BuyerFactIntakeTests()
    {
        _events = new InMemoryEventStore(_facts);
        _intake = new PixelIntake(_events, new PixelBuffer(_events, Key, 1000), TimeSpan.FromHours(48), Metrics);
    }

    private static PixelEvent Purchase(int i, string? skip = null) => new(
        "CompletePayment", $"order_{i}", "web",
        new EventPayload("CompletePayment", Now.ToUnixTimeSeconds(), $"order_{i}", skip is null ? new EventUserData($"email{i}", null, null, null, null, null, null, null) : null,
            new EventPropertyData(null, null, "EUR", 100m, null, null, null, null), null, null, null),
        skip);

    private Task<IReadOnlyList<BuyerFact>> FactsAsync() => _facts.QueryAsync("org_test", ["CompletePayment"], Now.AddDays(-1), default);

    [Fact]
    public async Task An_accepted_event_has_its_fact_before_the_caller_hears_accepted_and_a_skipped_one_has_none()
    {
        var outcomes = await _intake.AcceptAsync(Key, [Purchase(1), Purchase(2, skip: "no consent")], Now, default);

        Assert.Equal([EventStatuses.Accepted, EventStatuses.Skipped], outcomes.Select(o => o.Status));
        Assert.Equal(["email1"], (await FactsAsync()).Select(f => f.EmailSha256));
    }

    [Fact]
    public async Task When_the_write_fails_neither_the_event_nor_its_fact_is_stored_and_the_retry_stores_both()
    {
        _facts.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _intake.AcceptAsync(Key, [Purchase(1)], Now, default));
        var missing = await FactsAsync();
        var stored = await _events.FindAsync(Key, "order_1", default);
        var retry = await _intake.AcceptAsync(Key, [Purchase(1)], Now.AddSeconds(5), default);

        Assert.Empty(missing);
        Assert.Empty(stored);
        Assert.Equal(EventStatuses.Accepted, retry.Single().Status);
        Assert.Equal(["email1"], (await FactsAsync()).Select(f => f.EmailSha256));
    }

    [Fact]
    public async Task A_test_event_leaves_no_fact()
    {
        await _intake.StoreTestEventAsync(Key, Purchase(1), "TEST123", Now, default);

        Assert.Empty(await FactsAsync());
    }

    [Fact]
    public async Task Retention_purges_facts_older_than_the_default_or_the_organizers_override()
    {
        var store = new InMemoryBuyerFactStore();
        BuyerFact Fact(string organizer, int daysAgo) => new(organizer, "PX", "CompletePayment", $"{organizer}_{daysAgo}", Now.AddDays(-daysAgo), "e", null, null, null, [], Now);
        await store.RecordAsync([Fact("org_a", 10), Fact("org_a", 179), Fact("org_a", 181), Fact("org_b", 10), Fact("org_b", 31)], default);
        var options = new SegmentOptions { RetentionOverrides = { ["org_b"] = TimeSpan.FromDays(30) } };

        var purged = await BuyerDataRetention.PurgeAsync(store, options, Now, default);

        Assert.Equal(2, purged);
        Assert.Equal(["org_a_10", "org_a_179"], (await store.QueryAsync("org_a", ["CompletePayment"], Now.AddYears(-1), default)).Select(f => f.EventId).Order());
        Assert.Equal(["org_b_10"], (await store.QueryAsync("org_b", ["CompletePayment"], Now.AddYears(-1), default)).Select(f => f.EventId));
    }

    [Fact]
    public async Task The_embedded_store_keeps_at_most_its_limit_forgetting_the_oldest_recorded_first()
    {
        var store = new InMemoryBuyerFactStore(maxFacts: 3);
        BuyerFact Fact(int id) => new("org_a", "PX", "CompletePayment", $"e{id}", Now, "e", null, null, null, [], Now);
        await store.RecordAsync([Fact(1), Fact(2), Fact(3)], default);
        await store.RecordAsync([Fact(2), Fact(4)], default);
        await store.RecordAsync([Fact(5)], default);

        Assert.Equal(["e3", "e4", "e5"], (await store.QueryAsync("org_a", ["CompletePayment"], Now.AddYears(-1), default)).Select(f => f.EventId).Order());

        // A fact purged and recorded again is the newest, not the oldest.
        await store.DeleteOrganizerAsync("org_a", default);
        await store.RecordAsync([Fact(3), Fact(6), Fact(7)], default);
        await store.RecordAsync([Fact(8)], default);
        Assert.Equal(["e6", "e7", "e8"], (await store.QueryAsync("org_a", ["CompletePayment"], Now.AddYears(-1), default)).Select(f => f.EventId).Order());
    }

    /// <summary>The in-memory store, failing one write on request (as a database outage would).</summary>
    private sealed class FlakyFacts : IBuyerFactStore
    {
        private readonly InMemoryBuyerFactStore _inner = new();

        public bool FailNext { get; set; }

        public Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database unavailable");
            }
            return _inner.RecordAsync(facts, cancellationToken);
        }

        public Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
            => _inner.QueryAsync(organizerId, eventNames, since, cancellationToken);

        public Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, TikTokAds.Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken)
            => _inner.BuyerTotalsAsync(organizerId, definition, since, cancellationToken);

        public Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken) => _inner.DeleteOrganizerAsync(organizerId, cancellationToken);

        public Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
            => _inner.PurgeAsync(defaultCutoff, overrides, cancellationToken);
    }
}
