using TikTokAds.Grains.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

public sealed class BatchPlannerTests
{
    private static BufferedEvent Event(long seq, string source = "web", string? test = null)
        => new(seq, "Purchase", $"e{seq}", source, test, TrackEventJson.From(new TrackEvent { Event = "Purchase", EventTime = 1 }), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Batches_hold_at_most_a_thousand_events_in_arrival_order()
    {
        var pending = Enumerable.Range(1, 2500).Select(i => Event(i)).ToList();

        var sizes = new List<int>();
        while (pending.Count > 0)
        {
            var batch = BatchPlanner.Next(pending, int.MaxValue);
            Assert.Equal(batch.OrderBy(e => e.Seq), batch);
            sizes.Add(batch.Count);
            pending.RemoveAll(batch.Contains);
        }

        Assert.Equal([1000, 1000, 500], sizes);
    }

    [Fact]
    public void A_batch_never_mixes_event_sources_or_test_codes()
    {
        var pending = new[] { Event(1), Event(2, "offline"), Event(3), Event(4, "web", "TEST1"), Event(5) };

        var first = BatchPlanner.Next(pending, 100);
        var offline = BatchPlanner.Next(pending.Except(first), 100);
        var test = BatchPlanner.Next(pending.Except(first).Except(offline), 100);

        Assert.Equal([1, 3, 5], first.Select(e => e.Seq));
        Assert.Equal([2], offline.Select(e => e.Seq));
        Assert.Equal([4], test.Select(e => e.Seq));
    }

    [Fact]
    public void A_batch_stops_at_the_budget_left_today()
    {
        var pending = Enumerable.Range(1, 50).Select(i => Event(i)).ToList();

        Assert.Equal(7, BatchPlanner.Next(pending, 7).Count);
        Assert.Empty(BatchPlanner.Next(pending, 0));
    }
}

public sealed class RateBudgetTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_more_than_n_requests_in_any_window()
    {
        var budget = new RateBudget(10, 50_000, TimeSpan.FromMilliseconds(1100));

        var granted = Enumerable.Range(0, 15).Count(_ => Answer(budget.TryTakeRequest(Noon), Noon));
        var stillClosed = budget.TryTakeRequest(Noon.AddMilliseconds(1099));
        var reopened = budget.TryTakeRequest(Noon.AddMilliseconds(1100));

        Assert.Equal(10, granted);
        Assert.Null(stillClosed);
        Assert.NotNull(reopened);
        var one = new RateBudget(1, 10, TimeSpan.FromMilliseconds(1100));
        Answer(one.TryTakeRequest(Noon), Noon);
        Assert.Equal(Noon.AddMilliseconds(1100), one.NextSendTime(Noon));
    }

    [Fact]
    public void A_slot_counts_from_when_its_answer_came_back_so_a_slow_answer_delays_the_next_window()
    {
        var budget = new RateBudget(2, 50_000, TimeSpan.FromSeconds(1));
        Assert.True(Answer(budget.TryTakeRequest(Noon), Noon.AddMilliseconds(300)));
        Assert.True(Answer(budget.TryTakeRequest(Noon.AddMilliseconds(400)), Noon.AddMilliseconds(450)));

        // The first request may have reached TikTok as late as 300 ms: the third waits a second from then.
        Assert.Null(budget.TryTakeRequest(Noon.AddMilliseconds(1299)));
        Assert.Equal(Noon.AddMilliseconds(1300), budget.NextSendTime(Noon.AddMilliseconds(1299)));
        // An answer that could not be earlier than the slot's start leaves it as it is.
        Assert.True(Answer(budget.TryTakeRequest(Noon.AddMilliseconds(1300)), Noon.AddMilliseconds(1200)));
        Assert.Null(budget.TryTakeRequest(Noon.AddMilliseconds(1449)));
        Assert.NotNull(budget.TryTakeRequest(Noon.AddMilliseconds(1450)));
    }

    [Fact]
    public void Requests_in_flight_hold_their_slots_until_answered_and_each_slot_ends_a_window_after_its_own_answer()
    {
        var budget = new RateBudget(3, 50_000, TimeSpan.FromSeconds(1));
        var first = budget.TryTakeRequest(Noon)!;
        var second = budget.TryTakeRequest(Noon.AddMilliseconds(10))!;
        var third = budget.TryTakeRequest(Noon.AddMilliseconds(20))!;

        // Unanswered, they never expire, however long they take.
        Assert.Null(budget.TryTakeRequest(Noon.AddSeconds(30)));
        // Answers come back out of order: the slot answered first frees first.
        second.Answered(Noon.AddSeconds(30).AddMilliseconds(100));
        third.Answered(Noon.AddSeconds(30).AddMilliseconds(200));
        first.Answered(Noon.AddSeconds(30).AddMilliseconds(300));
        Assert.Equal(Noon.AddSeconds(31).AddMilliseconds(100), budget.NextSendTime(Noon.AddSeconds(30).AddMilliseconds(300)));
        Assert.Null(budget.TryTakeRequest(Noon.AddSeconds(31).AddMilliseconds(99)));
        Assert.NotNull(budget.TryTakeRequest(Noon.AddSeconds(31).AddMilliseconds(100)));
        Assert.Null(budget.TryTakeRequest(Noon.AddSeconds(31).AddMilliseconds(150)));
        Assert.NotNull(budget.TryTakeRequest(Noon.AddSeconds(31).AddMilliseconds(200)));
    }

    [Fact]
    public void The_daily_budget_runs_out_and_returns_at_utc_midnight()
    {
        var budget = new RateBudget(10, 50_000, TimeSpan.FromSeconds(1));
        budget.RecordSent(49_999, Noon);

        Assert.Equal(1, budget.EventsLeftToday(Noon));
        budget.RecordSent(1, Noon);
        Assert.Equal(0, budget.EventsLeftToday(Noon));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), budget.NextSendTime(Noon));
        Assert.Equal(50_000, budget.EventsLeftToday(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_back_off_closes_sending_until_it_ends_and_never_shortens()
    {
        var budget = new RateBudget(10, 50_000, TimeSpan.FromSeconds(1));
        budget.BackOff(Noon.AddSeconds(30));
        budget.BackOff(Noon.AddSeconds(5));

        Assert.Null(budget.TryTakeRequest(Noon.AddSeconds(29)));
        Assert.Equal(Noon.AddSeconds(30), budget.NextSendTime(Noon));
        Assert.NotNull(budget.TryTakeRequest(Noon.AddSeconds(30)));
    }

    [Fact]
    public void A_restored_count_continues_the_same_day_only()
    {
        var budget = new RateBudget(10, 100, TimeSpan.FromSeconds(1));
        budget.Restore(DateOnly.FromDateTime(Noon.UtcDateTime), 60, null);

        Assert.Equal(40, budget.EventsLeftToday(Noon));
        Assert.Equal(100, budget.EventsLeftToday(Noon.AddDays(1)));
    }

    private static bool Answer(RequestSlot? slot, DateTimeOffset at)
    {
        slot?.Answered(at);
        return slot is not null;
    }
}

public sealed class DedupWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_event_id_within_48_hours_is_a_duplicate_and_after_it_is_new()
    {
        var window = new DedupWindow(TimeSpan.FromHours(48));

        Assert.True(window.TryAdd("Purchase", "purchase_1", Start));
        Assert.False(window.TryAdd("Purchase", "purchase_1", Start.AddHours(47)));
        Assert.True(window.TryAdd("Purchase", "purchase_1", Start.AddHours(48)));
    }

    [Fact]
    public void The_key_is_the_event_and_its_id_together()
    {
        var window = new DedupWindow(TimeSpan.FromHours(48));

        Assert.True(window.TryAdd("Purchase", "order_7", Start));
        Assert.True(window.TryAdd("InitiateCheckout", "order_7", Start));
        Assert.False(window.TryAdd("Purchase", "order_7", Start.AddMinutes(1)));
    }

    [Fact]
    public void Pairs_whose_strings_join_alike_are_different_pairs()
    {
        var window = new DedupWindow(TimeSpan.FromHours(48));

        Assert.True(window.TryAdd("Purchase", "1order", Start));
        Assert.True(window.TryAdd("Purchase1", "order", Start));
        Assert.False(window.Contains("Purchas", "e1order", Start));
    }

    [Fact]
    public void Beyond_its_capacity_the_oldest_entries_go_first()
    {
        var window = new DedupWindow(TimeSpan.FromHours(48), capacity: 3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            window.TryAdd("Lead", id, Start);
        }

        Assert.False(window.Contains("Lead", "a", Start));
        Assert.True(window.Contains("Lead", "d", Start));
        Assert.Equal(3, window.Count);
    }

    [Fact]
    public void Old_entries_are_pruned_as_time_passes()
    {
        var window = new DedupWindow(TimeSpan.FromHours(48));
        for (var i = 0; i < 1000; i++)
        {
            window.TryAdd("ViewContent", $"v{i}", Start.AddMinutes(i));
        }

        window.TryAdd("ViewContent", "late", Start.AddDays(5));

        Assert.Equal(1, window.Count);
    }
}
