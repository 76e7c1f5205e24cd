using TikTokAds.Grains.Assurance;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Assurance;

public sealed class ReconcilerTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 4, 0, 0, TimeSpan.Zero);

    private static PixelEventTypeStats Stats(string name, long server, long browser = 0, long total = -1, bool custom = false) => new()
    {
        PixelEventType = custom ? null : name,
        CustomEventType = custom ? name : null,
        ServerEventTotalCount = server,
        BrowserEventTotalCount = browser,
        TotalCount = total < 0 ? server + browser : total,
    };

    [Fact]
    public void A_gap_over_the_ratio_and_the_minimum_is_flagged_and_one_under_either_is_not()
    {
        var rows = Reconciler.Compare(Day,
            [new(Day, "Purchase", 1000), new(Day, "ViewContent", 1000), new(Day, "Lead", 100), new(Day.AddDays(1), "Purchase", 77)],
            [Stats("Purchase", 975), Stats("ViewContent", 991), Stats("Lead", 90)],
            Now, threshold: 0.01, minGapEvents: 10);

        var byName = rows.ToDictionary(r => r.EventName);
        Assert.Equal((1000, 975, 25, 0.025, true), (byName["Purchase"].Delivered, byName["Purchase"].TikTokServer, byName["Purchase"].Gap, byName["Purchase"].GapRatio, byName["Purchase"].Flagged));
        Assert.False(byName["ViewContent"].Flagged); // 0.9 %: under the ratio
        Assert.True(byName["Lead"].Flagged);          // 10 %, 10 events: both reached
        Assert.All(rows, r => Assert.Equal(Day, r.Day));
    }

    [Fact]
    public void Events_tiktok_counted_but_this_service_never_sent_show_a_negative_gap_that_is_not_flagged()
    {
        var rows = Reconciler.Compare(Day, [], [Stats("ShowTicket", 40, custom: true)], Now, 0.01, 1);

        var row = Assert.Single(rows);
        Assert.Equal(("ShowTicket", 0, 40, -40, -1.0, false), (row.EventName, row.Delivered, row.TikTokServer, row.Gap, row.GapRatio, row.Flagged));
    }

    [Fact]
    public void Overlap_is_browser_plus_server_less_total()
    {
        var row = Assert.Single(Reconciler.Compare(Day, [new(Day, "Purchase", 20)], [Stats("Purchase", 20, browser: 15, total: 23)], Now, 0.01, 10));

        Assert.Equal((15, 23, 12, 0), (row.TikTokBrowser, row.TikTokTotal, row.Overlap, row.Gap));
    }

    [Fact]
    public void Only_days_whose_events_are_all_still_stored_are_complete()
    {
        Assert.Equal(new DateOnly(2026, 3, 5), Reconciler.OldestComplete(new DateTimeOffset(2026, 3, 11, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(7)));
        Assert.Equal(new DateOnly(2026, 3, 4), Reconciler.OldestComplete(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void The_daily_run_rechecks_the_complete_days_before_today()
    {
        Assert.Equal((new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10)), Reconciler.DailyRange(Now, 3));
    }

    [Fact]
    public void A_rerun_replaces_the_checked_days_and_history_past_the_limit_is_dropped()
    {
        var old = Reconciler.Compare(Day, [new(Day, "Purchase", 100)], [Stats("Purchase", 50)], Now, 0.01, 10);
        var older = Reconciler.Compare(Day.AddDays(-100), [new(Day.AddDays(-100), "Purchase", 1)], [], Now, 0.01, 10);
        var other = Reconciler.Compare(Day.AddDays(-1), [new(Day.AddDays(-1), "Lead", 5)], [Stats("Lead", 5)], Now, 0.01, 10);
        var fresh = Reconciler.Compare(Day, [new(Day, "Purchase", 100)], [Stats("Purchase", 100)], Now, 0.01, 10);

        var merged = Reconciler.Merge([.. old, .. older, .. other], [Day], fresh, Day.AddDays(-90));

        Assert.Equal(["Lead", "Purchase"], merged.Select(r => r.EventName));
        Assert.DoesNotContain(merged, r => r.Flagged);
    }

    [Fact]
    public void Days_lists_each_day_of_the_range_once()
    {
        Assert.Equal([Day, Day.AddDays(1), Day.AddDays(2)], Reconciler.Days(Day, Day.AddDays(2)));
        Assert.Empty(Reconciler.Days(Day, Day.AddDays(-1)));
    }
}
