using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>The embedded store finds a settle's rows by sequence number, so re-accepted keys and purges must keep that index right.</summary>
public sealed class InMemoryEventStoreTests
{
    private const string Pixel = "org-1/pixel-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);

    private static NewEvent Event(string id) => new("Purchase", id, "web", null, TrackEventJson.From(new TrackEvent { Event = "Purchase", EventTime = 1 }), EventStatuses.Accepted, null);

    [Fact]
    public async Task A_settle_changes_only_its_own_accepted_rows()
    {
        var store = new InMemoryEventStore();
        var seqs = await store.AppendAsync(Pixel, [Event("a"), Event("b"), Event("c")], [], Now, Window, default);

        await store.MarkFailedAsync(Pixel, [seqs[0]!.Value, seqs[2]!.Value], 40002, "bad", "r1", Now, default);
        await store.MarkFailedAsync(Pixel, [seqs[0]!.Value], 40003, "again", "r2", Now, default);

        var counts = await store.CountByStatusAsync(Pixel, default);
        Assert.Equal(2, counts[EventStatuses.Failed]);
        Assert.Equal(1, counts[EventStatuses.Accepted]);
        Assert.Equal(40002, (await store.FindAsync(Pixel, "a", default)).Single().Code);
        Assert.Equal("b", Assert.Single(await store.LoadPendingAsync(Pixel, 10, default)).EventId);
    }

    [Fact]
    public async Task Request_signals_count_each_pixels_own_outcomes_delivered_hours_and_waiting_events()
    {
        var store = new InMemoryEventStore();
        const string idle = "org-1/pixel-2", other = "org-2/pixel-1";
        var seqs = (await store.AppendAsync(Pixel, [Event("a"), Event("b"), Event("c"), Event("d")], [], Now, Window, default)).Select(s => s!.Value).ToArray();
        var otherSeq = (await store.AppendAsync(other, [Event("a")], [], Now, Window, default))[0]!.Value;
        await store.MarkDeliveredAsync(Pixel, Sent(seqs[..2], Now.AddMinutes(10)), Now, default);
        await store.MarkDeliveredAsync(Pixel, Sent(seqs[2..3], Now.AddHours(-26)), Now, default);
        await store.RecordRequestAsync(Pixel, Sent(seqs[3..], Now) with { Outcome = "throttled" }, default);
        await store.MarkDeliveredAsync(other, Sent([otherSeq], Now), Now, default);
        await store.RecordRequestAsync(idle, Sent([], Now.AddDays(-9)), default);

        var signals = await store.RequestSignalsAsync([Pixel, idle], Now.AddMinutes(-15), Now.AddDays(-8), default);

        Assert.Equal([Pixel, idle], signals.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["success"] = 1, ["throttled"] = 1 }, signals[Pixel].Outcomes);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [Now] = 2, [Now.AddHours(-26)] = 1 }, signals[Pixel].DeliveredByHour);
        Assert.True(signals[Pixel].Waiting);
        Assert.Empty(signals[idle].Outcomes);
        Assert.Empty(signals[idle].DeliveredByHour);
        Assert.False(signals[idle].Waiting);
    }

    private static SentRequest Sent(long[] seqs, DateTimeOffset at) => new(0, at, "success", 0, "OK", "req", 10, ["Purchase"], "web", null, null, seqs);

    [Fact]
    public async Task A_key_accepted_again_after_the_window_is_settled_by_its_new_sequence_number_only()
    {
        var store = new InMemoryEventStore();
        var first = (await store.AppendAsync(Pixel, [Event("a")], [], Now, Window, default))[0]!.Value;
        var later = Now + Window + TimeSpan.FromMinutes(1);
        var second = (await store.AppendAsync(Pixel, [Event("a")], [], later, Window, default))[0]!.Value;
        Assert.NotEqual(first, second);

        await store.MarkFailedAsync(Pixel, [first], 40002, "stale", null, later, default);
        Assert.Equal(EventStatuses.Accepted, (await store.FindAsync(Pixel, "a", default)).Single().Status);
        Assert.Empty(await store.PayloadsAsync(Pixel, [first], default));

        await store.MarkFailedAsync(Pixel, [second], 40002, "bad", null, later, default);
        Assert.Equal(EventStatuses.Failed, (await store.FindAsync(Pixel, "a", default)).Single().Status);
        Assert.Equal([second], (await store.PayloadsAsync(Pixel, [second], default)).Keys);
    }

    [Fact]
    public async Task Revived_dead_letters_come_back_in_arrival_order_and_purged_rows_are_gone_from_every_lookup()
    {
        var store = new InMemoryEventStore();
        var seqs = (await store.AppendAsync(Pixel, [Event("a"), Event("b"), Event("c")], [], Now, Window, default)).Select(s => s!.Value).ToArray();
        await store.MarkFailedAsync(Pixel, [seqs[2], seqs[0]], 40002, "bad", null, Now, default);

        var revived = await store.ReviveAsync(Pixel, [seqs[2], seqs[0], seqs[1]], default);
        Assert.Equal(["a", "c"], revived.Select(e => e.EventId));

        await store.MarkFailedAsync(Pixel, [seqs[1]], 40002, "bad", null, Now, default);
        var purged = await store.PurgeAsync(Now.AddDays(1), Now.AddDays(1), default);
        Assert.Equal(1, purged);
        Assert.Empty(await store.PayloadsAsync(Pixel, [seqs[1]], default));
        await store.MarkFailedAsync(Pixel, [seqs[1]], 40002, "bad", null, Now, default);
        Assert.Equal(2, (await store.CountByStatusAsync(Pixel, default))[EventStatuses.Accepted]);
    }

    [Fact]
    public async Task Past_its_limit_the_store_forgets_the_oldest_settled_events_and_never_a_waiting_one_or_a_dead_letter()
    {
        var store = new InMemoryEventStore(maxSettled: 2);
        var seqs = (await store.AppendAsync(Pixel, [Event("a"), Event("b"), Event("c"), Event("d"), Event("e")], [], Now, Window, default)).Select(s => s!.Value).ToArray();
        await store.MarkFailedAsync(Pixel, [seqs[4]], 40002, "bad", null, Now, default);
        var request = new SentRequest(0, Now, "success", 0, "OK", "r1", 12.5, ["Purchase"], "web", null, null, [seqs[2], seqs[0], seqs[1]]);
        await store.MarkDeliveredAsync(Pixel, request, Now, default);

        Assert.Empty(await store.FindAsync(Pixel, "c", default));
        Assert.Equal(EventStatuses.Delivered, (await store.FindAsync(Pixel, "a", default)).Single().Status);
        Assert.Equal(EventStatuses.Delivered, (await store.FindAsync(Pixel, "b", default)).Single().Status);
        Assert.Equal("d", Assert.Single(await store.LoadPendingAsync(Pixel, 10, default)).EventId);
        Assert.Equal("e", Assert.Single(await store.DeadLettersAsync(Pixel, new DeadLetterQuery(), default)).EventId);

        // A forgotten event is accepted again; one still kept is a duplicate.
        var again = await store.AppendAsync(Pixel, [Event("c"), Event("a")], [], Now, Window, default);
        Assert.NotNull(again[0]);
        Assert.Null(again[1]);
    }

    [Fact]
    public async Task A_settled_row_reads_back_every_field_it_was_settled_with_and_its_trace_id_as_given()
    {
        var store = new InMemoryEventStore();
        const string w3c = "4bf92f3577b34da6a3ce929d0e0e4736", other = "trace-from-elsewhere";
        var seqs = (await store.AppendAsync(Pixel, [Event("a") with { TraceId = w3c }, Event("b") with { TraceId = other }, Event("c")], [], Now, Window, default))
            .Select(s => s!.Value).ToArray();
        var at = Now.AddSeconds(3);
        await store.MarkDeliveredAsync(Pixel, Sent(seqs[..1], at) with { RequestId = "req-7" }, at, default);
        await store.MarkFailedAsync(Pixel, [seqs[1]], 40002, "bad", "req-8", at, default);

        var delivered = (await store.FindAsync(Pixel, "a", default)).Single();
        Assert.Equal(new EventRecord("Purchase", "a", "web", EventStatuses.Delivered, null, Now, at, null, "req-7", 0, "OK", 1, w3c), delivered);
        var failed = (await store.FindAsync(Pixel, "b", default)).Single();
        Assert.Equal(new EventRecord("Purchase", "b", "web", EventStatuses.Failed, null, Now, null, at, "req-8", 40002, "bad", 1, other), failed);
        Assert.Null((await store.FindAsync(Pixel, "c", default)).Single().TraceId);
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffff")]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736a")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473g")]
    [InlineData("")]
    [InlineData(null)]
    public void A_packed_trace_id_gives_back_exactly_what_it_was_given(string? traceId)
        => Assert.Equal(traceId, PackedTraceId.Of(traceId).Text);

    [Fact]
    public async Task A_dead_letter_revived_and_failed_again_counts_its_replay_and_both_attempts()
    {
        var store = new InMemoryEventStore();
        var seq = (await store.AppendAsync(Pixel, [Event("a")], [], Now, Window, default))[0]!.Value;
        await store.MarkFailedAsync(Pixel, [seq], 40002, "bad", null, Now, default);

        Assert.Single(await store.ReviveAsync(Pixel, [seq, seq], default));
        await store.MarkFailedAsync(Pixel, [seq], 40002, "bad again", null, Now, default);

        var letter = Assert.Single(await store.DeadLettersAsync(Pixel, new DeadLetterQuery(), default));
        Assert.Equal((1, 2, "bad again"), (letter.Replays, letter.Attempts, letter.Message));
    }

    [Fact]
    public async Task Lookups_give_the_newest_or_oldest_rows_first_as_asked_and_at_most_the_limit()
    {
        var store = new InMemoryEventStore();
        var seqs = (await store.AppendAsync(Pixel, [.. Enumerable.Range(0, 6).Select(i => Event($"e{i}"))], [], Now, Window, default)).Select(s => s!.Value).ToArray();
        await store.MarkFailedAsync(Pixel, [seqs[1], seqs[3], seqs[5]], 40002, "bad", null, Now, default);

        Assert.Equal(["e5", "e4", "e3"], (await store.LatestAsync(Pixel, 3, default)).Select(r => r.EventId));
        Assert.Equal(["e0", "e2"], (await store.LoadPendingAsync(Pixel, 2, default)).Select(e => e.EventId));
        Assert.Equal(["e5", "e3"], (await store.DeadLettersAsync(Pixel, new DeadLetterQuery(Limit: 2), default)).Select(d => d.EventId));
        Assert.Equal(new Dictionary<string, long> { [EventStatuses.Accepted] = 3, [EventStatuses.Failed] = 3 }, await store.CountByStatusAsync(Pixel, default));
    }

    [Fact]
    public async Task Once_a_backlog_has_been_delivered_and_forgotten_its_pixels_table_gives_its_room_back()
    {
        var store = new InMemoryEventStore(maxSettled: 1_000);
        var seqs = (await store.AppendAsync(Pixel, [.. Enumerable.Range(0, 20_000).Select(i => Event($"e{i}"))], [], Now, Window, default)).Select(s => s!.Value).ToArray();
        var full = store.RowCapacity(Pixel);
        Assert.True(full >= 20_000);

        await store.MarkDeliveredAsync(Pixel, Sent(seqs, Now), Now, default);

        Assert.Equal(1_000, (await store.LatestAsync(Pixel, 5_000, default)).Count);
        Assert.True(store.RowCapacity(Pixel) < full / 4, $"{store.RowCapacity(Pixel)} of {full}");
    }
}
