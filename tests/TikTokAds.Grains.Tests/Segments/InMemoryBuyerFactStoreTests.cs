using System.Globalization;
using TikTokAds.Contracts.Segments;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Tests.Segments;

/// <summary>The embedded store's buyer facts, each kept packed: what comes back, what is kept once, and what goes.</summary>
public sealed class InMemoryBuyerFactStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["CompletePayment", "AddToCart", "Purchase", "Purchase1"];

    private static BuyerFact Fact(string organizer, string id, DateTimeOffset? eventTime = null, string? email = "e", string pixel = "PX", string name = "CompletePayment")
        => new(organizer, pixel, name, id, eventTime ?? Now, email, null, null, null, [], Now);

    private static async Task<IReadOnlyList<BuyerFact>> AllAsync(InMemoryBuyerFactStore store, string organizer)
        => [.. (await store.QueryAsync(organizer, Names, Now.AddYears(-1), default)).OrderBy(f => f.EventId, StringComparer.Ordinal)];

    private static async Task<string[]> IdsAsync(InMemoryBuyerFactStore store, string organizer) => [.. (await AllAsync(store, organizer)).Select(f => f.EventId)];

    [Fact]
    public async Task Every_field_comes_back_as_recorded_with_times_in_utc_to_the_microsecond()
    {
        BuyerFact[] facts =
        [
            new("org_a", "PX1", "CompletePayment", "e1", Now.AddTicks(1_234_560), null, new string('p', 64), 12.50m, "EUR", ["ga", "vip"], Now.AddTicks(70)),
            new("org_a", "PX2 é", "AddToCart", "e2", new DateTimeOffset(2026, 11, 29, 14, 0, 0, TimeSpan.FromHours(2)), new string('e', 64), null, null, null, [], Now),
            // Neither an email nor a phone: PostgreSQL's packs leave such a fact out, the embedded store has always kept it.
            new("org_a", "PX1", "Purchase", "e3", Now.AddDays(-300), null, null, -0.0010m, "RON", [new string('z', 300)], Now),
        ];

        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync(facts, default);
        var read = await AllAsync(store, "org_a");

        Assert.Equal(facts.Length, read.Count);
        for (var i = 0; i < facts.Length; i++)
        {
            Assert.Equal(facts[i] with { ContentIds = [] }, read[i] with { ContentIds = [] });
            Assert.Equal(facts[i].ContentIds, read[i].ContentIds);
            Assert.Equal(facts[i].Value?.ToString(CultureInfo.InvariantCulture), read[i].Value?.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(TimeSpan.Zero, read[i].EventTime.Offset);
        }
        Assert.Equal("12.50", read[0].Value?.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Times_are_kept_to_the_microsecond_and_a_bound_is_taken_to_the_microsecond_as_postgresql_takes_it()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync([Fact("org_a", "e1", Now.AddTicks(15))], default);

        Assert.Equal(Now.AddTicks(10), (await AllAsync(store, "org_a")).Single().EventTime);
        Assert.Single(await store.QueryAsync("org_a", Names, Now.AddTicks(19), default));
        Assert.Empty(await store.QueryAsync("org_a", Names, Now.AddTicks(20), default));
        Assert.Equal(0, await store.PurgeAsync(Now.AddTicks(19), new Dictionary<string, DateTimeOffset>(), default));
        Assert.Equal(1, await store.PurgeAsync(Now.AddTicks(20), new Dictionary<string, DateTimeOffset>(), default));
    }

    [Fact]
    public async Task A_key_recorded_again_keeps_the_first_fact_and_keys_differing_anywhere_are_all_kept()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync([Fact("org_a", "e1", email: "first"), Fact("org_a", "e1", email: "second")], default);
        await store.RecordAsync([Fact("org_a", "e1", email: "third")], default);

        Assert.Equal(["first"], (await AllAsync(store, "org_a")).Select(f => f.EmailSha256));

        // Any part of the key differing, or the same characters split differently between two parts, is another fact.
        await store.RecordAsync(
        [
            Fact("org_a", "e1", pixel: "PX2"),
            Fact("org_a", "e1", name: "Purchase"),
            Fact("org_a", "e2"),
            Fact("org_a", "1x", name: "Purchase"),
            Fact("org_a", "x", name: "Purchase1"),
            Fact("org_a", "1z", pixel: "P", name: "X"),
            Fact("org_a", "z", pixel: "P", name: "X1"),
            Fact("org_a", "z", pixel: "PX", name: "1"),
            Fact("org_", "z", pixel: "aPX", name: "1"),
        ], default);

        Assert.Equal(["1x", "e1", "e1", "e1", "e2", "x"], await IdsAsync(store, "org_a"));
        Assert.Equal(["1z", "z", "z"], (await store.QueryAsync("org_a", ["X", "X1", "1"], Now.AddYears(-1), default)).Select(f => f.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(["z"], (await store.QueryAsync("org_", ["1"], Now.AddYears(-1), default)).Select(f => f.EventId));
    }

    [Fact]
    public async Task Beyond_the_limit_the_oldest_recorded_go_first_whatever_their_organizer_and_a_repeat_does_not_make_one_newer()
    {
        var store = new InMemoryBuyerFactStore(maxFacts: 3);
        await store.RecordAsync([Fact("org_a", "a1"), Fact("org_b", "b1"), Fact("org_a", "a2")], default);
        await store.RecordAsync([Fact("org_a", "a1"), Fact("org_b", "b2")], default);

        Assert.Equal(["a2"], await IdsAsync(store, "org_a"));
        Assert.Equal(["b1", "b2"], await IdsAsync(store, "org_b"));

        await store.RecordAsync([Fact("org_c", "c1"), Fact("org_c", "c2")], default);

        Assert.Empty(await IdsAsync(store, "org_a"));
        Assert.Equal(["b2"], await IdsAsync(store, "org_b"));
        Assert.Equal(["c1", "c2"], await IdsAsync(store, "org_c"));
    }

    [Fact]
    public async Task Another_organizers_facts_are_never_returned()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync([Fact("org_a", "e1", email: "a"), Fact("org_ab", "e1", email: "ab"), Fact("ORG_A", "e1", email: "A"), Fact("org_b", "e2", email: "b")], default);

        var read = await AllAsync(store, "org_a");

        Assert.Equal(["a"], read.Select(f => f.EmailSha256));
        Assert.Equal("org_a", read.Single().OrganizerId);
        Assert.Empty(await AllAsync(store, "org_x"));
        Assert.Empty(await AllAsync(store, "org_"));
    }

    [Fact]
    public async Task Deleting_an_organizer_removes_and_counts_its_facts_only_and_they_may_be_recorded_again()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync([Fact("org_a", "a1"), Fact("org_b", "b1"), Fact("org_a", "a2"), Fact("org_a", "a3")], default);

        Assert.Equal(3, await store.DeleteOrganizerAsync("org_a", default));
        Assert.Empty(await IdsAsync(store, "org_a"));
        Assert.Equal(["b1"], await IdsAsync(store, "org_b"));
        Assert.Equal(0, await store.DeleteOrganizerAsync("org_a", default));
        Assert.Equal(0, await store.DeleteOrganizerAsync("org_x", default));

        await store.RecordAsync([Fact("org_a", "a1", email: "again")], default);

        Assert.Equal(["again"], (await AllAsync(store, "org_a")).Select(f => f.EmailSha256));
        Assert.Equal(1, await store.DeleteOrganizerAsync("org_a", default));
    }

    [Fact]
    public async Task A_purge_removes_and_counts_the_facts_before_each_organizers_cut_off()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync(
        [
            Fact("org_a", "a40", Now.AddDays(-40)), Fact("org_a", "a30", Now.AddDays(-30)), Fact("org_a", "a10", Now.AddDays(-10)),
            Fact("org_b", "b10", Now.AddDays(-10)), Fact("org_b", "b7", Now.AddDays(-7)), Fact("org_b", "b5", Now.AddDays(-5)),
            Fact("org_c", "c31", Now.AddDays(-31)),
        ], default);
        var overrides = new Dictionary<string, DateTimeOffset> { ["org_b"] = Now.AddDays(-7), ["org_x"] = Now };

        Assert.Equal(3, await store.PurgeAsync(Now.AddDays(-30), overrides, default));
        Assert.Equal(["a10", "a30"], await IdsAsync(store, "org_a"));
        Assert.Equal(["b5", "b7"], await IdsAsync(store, "org_b"));
        Assert.Empty(await IdsAsync(store, "org_c"));
        Assert.Equal(0, await store.PurgeAsync(Now.AddDays(-30), overrides, default));
    }

    [Fact]
    public async Task Removed_facts_places_in_the_recording_order_do_not_pile_up_and_the_oldest_still_go_first()
    {
        var store = new InMemoryBuyerFactStore(maxFacts: 4);
        for (var round = 0; round < 10; round++)
        {
            await store.RecordAsync([.. Enumerable.Range(0, 3).Select(i => Fact("org_c", $"c{round}_{i}"))], default);
            await store.DeleteOrganizerAsync("org_c", default);
        }
        Assert.Equal(0, store.OrderCount);

        await store.RecordAsync([Fact("org_b", "b1"), Fact("org_c", "c1"), Fact("org_c", "c2"), Fact("org_c", "c3"), Fact("org_b", "b2")], default);
        await store.DeleteOrganizerAsync("org_c", default);
        Assert.Equal(1, store.OrderCount);
        await store.RecordAsync([Fact("org_b", "b3"), Fact("org_b", "b4"), Fact("org_b", "b5"), Fact("org_b", "b6")], default);

        Assert.Equal(["b3", "b4", "b5", "b6"], await IdsAsync(store, "org_b"));
    }

    [Fact]
    public async Task Buyer_totals_count_the_organizers_facts_since_the_bound()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync(
        [
            Fact("org_a", "e1") with { Value = 12.50m, Currency = "EUR" },
            Fact("org_a", "e2") with { Value = 7.50m, Currency = "EUR" },
            Fact("org_a", "e3", Now.AddDays(-40)) with { Value = 100m, Currency = "EUR" },
            Fact("org_b", "e4") with { Value = 100m, Currency = "EUR" },
        ], default);
        var definition = new SegmentDefinition("buyers", ["CompletePayment"], 30, null, 20m, "EUR", [], [SegmentRule.Email], null, null, "daily", 3);

        var total = Assert.Single(await store.BuyerTotalsAsync("org_a", definition, Now.AddDays(-30), default));

        Assert.Equal(("e", 2, 20.00m), (total.Email, total.Events, total.Value));
    }

    [Fact]
    public async Task Buyer_totals_take_their_bound_to_the_microsecond_as_the_query_does()
    {
        var store = new InMemoryBuyerFactStore();
        await store.RecordAsync([Fact("org_a", "e1", Now.AddTicks(15)) with { Value = 25m, Currency = "EUR" }], default);
        var definition = new SegmentDefinition("buyers", ["CompletePayment"], 30, null, 20m, "EUR", [], [SegmentRule.Email], null, null, "daily", 3);

        var total = Assert.Single(await store.BuyerTotalsAsync("org_a", definition, Now.AddTicks(19), default));

        Assert.Equal(1, total.Events);
    }

    [Fact]
    public async Task An_organizers_entry_goes_with_its_last_fact_whether_evicted_deleted_or_purged()
    {
        var store = new InMemoryBuyerFactStore(maxFacts: 3);
        await store.RecordAsync([Fact("org_old", "o1"), Fact("org_a", "a1"), Fact("org_b", "b1")], default);
        Assert.Equal(3, store.OrganizerCount);

        await store.RecordAsync([Fact("org_a", "a2")], default);
        Assert.Equal(2, store.OrganizerCount);

        await store.DeleteOrganizerAsync("org_b", default);
        Assert.Equal(1, store.OrganizerCount);

        await store.PurgeAsync(Now.AddDays(1), new Dictionary<string, DateTimeOffset>(), default);
        Assert.Equal(0, store.OrganizerCount);
        await store.RecordAsync([Fact("org_a", "a3")], default);
        Assert.Equal(["a3"], await IdsAsync(store, "org_a"));
    }

    [Fact]
    public async Task A_fact_without_an_organizer_is_refused_and_leaves_nothing_behind()
    {
        var store = new InMemoryBuyerFactStore();

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.RecordAsync([Fact(null!, "e1")], default));

        Assert.Equal(0, store.OrderCount);
        Assert.Equal(0, await store.PurgeAsync(Now.AddDays(1), new Dictionary<string, DateTimeOffset>(), default));
    }
}
