using TikTokAds.Contracts.Assurance;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// The decisions of reconciliation: which days a run may check, how one day's counts compare, and which
/// results are kept. Days are UTC days of the events' event_time on both sides.
/// </summary>
public static class Reconciler
{
    /// <summary>
    /// One row per event name seen on either side. gap = delivered − TikTok's server count; gap_ratio =
    /// gap / delivered (−1 when TikTok counted events this service never delivered that day). Only missing
    /// events are flagged: a positive gap over the ratio threshold and at least <paramref name="minGapEvents"/>.
    /// </summary>
    public static IReadOnlyList<ReconciliationRow> Compare(
        DateOnly day, IEnumerable<DeliveredCount> delivered, IEnumerable<PixelEventTypeStats> tiktok, DateTimeOffset checkedAt, double threshold, int minGapEvents)
    {
        var ours = delivered.Where(d => d.Day == day).GroupBy(d => d.EventName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(d => d.Count), StringComparer.Ordinal);
        var theirs = tiktok.Where(t => t.EventName is not null).GroupBy(t => t.EventName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. ours.Keys.Union(theirs.Keys).Order(StringComparer.Ordinal).Select(name =>
        {
            var sent = ours.GetValueOrDefault(name);
            var counted = theirs.GetValueOrDefault(name) ?? [];
            var server = counted.Sum(t => t.ServerEventTotalCount);
            var browser = counted.Sum(t => t.BrowserEventTotalCount);
            var total = counted.Sum(t => t.TotalCount);
            var gap = sent - server;
            var ratio = sent > 0 ? Math.Round((double)gap / sent, 6) : gap == 0 ? 0 : -1;
            var flagged = gap >= minGapEvents && ratio > threshold;
            return new ReconciliationRow(day, name, sent, server, browser, total, Math.Max(0, browser + server - total), gap, ratio, flagged, checkedAt);
        })];
    }

    public static IReadOnlyList<DateOnly> Days(DateOnly from, DateOnly to)
        => [.. Enumerable.Range(0, Math.Max(0, to.DayNumber - from.DayNumber + 1)).Select(from.AddDays)];

    /// <summary>
    /// The oldest day whose events are all still stored: settled events are purged once accepted before
    /// now − retention, and an event is never accepted before its event_time.
    /// </summary>
    public static DateOnly OldestComplete(DateTimeOffset now, TimeSpan retention)
    {
        var cutoff = (now - retention).UtcDateTime;
        var day = DateOnly.FromDateTime(cutoff);
        return cutoff.TimeOfDay == TimeSpan.Zero ? day : day.AddDays(1);
    }

    /// <summary>What the daily run checks: the <paramref name="recheckDays"/> complete UTC days before today.</summary>
    public static (DateOnly From, DateOnly To) DailyRange(DateTimeOffset now, int recheckDays)
    {
        var yesterday = Today(now).AddDays(-1);
        return (yesterday.AddDays(1 - recheckDays), yesterday);
    }

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The kept rows with each checked day's rows replaced by the fresh ones, and days older than <paramref name="oldestKept"/> dropped.</summary>
    public static IReadOnlyList<ReconciliationRow> Merge(IEnumerable<ReconciliationRow> kept, IEnumerable<DateOnly> checkedDays, IEnumerable<ReconciliationRow> fresh, DateOnly oldestKept)
    {
        var replaced = checkedDays.ToHashSet();
        return [.. kept.Where(r => !replaced.Contains(r.Day)).Concat(fresh).Where(r => r.Day >= oldestKept)
            .OrderBy(r => r.Day).ThenBy(r => r.EventName, StringComparer.Ordinal)];
    }
}
