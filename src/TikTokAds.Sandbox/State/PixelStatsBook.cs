using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// What pixel/event/stats/ answers from: the events the sandbox really received, less a share it "drops"
/// (so a reconciliation gap can be shown), plus browser counts a test sets (the sandbox has no browser
/// pixel). Drops are decided when counting, from the event_id alone, so a test can predict them exactly
/// and setting the share back to 0 restores every count.
/// </summary>
public sealed class PixelStatsBook(double configuredDropShare)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Pixel, string Event, DateOnly Day), BrowserCount> _browser = [];
    private readonly double _configuredDropShare = configuredDropShare;
    private double _dropShare = configuredDropShare;

    public double DropShare
    {
        get
        {
            lock (_lock)
            {
                return _dropShare;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1);
            lock (_lock)
            {
                _dropShare = value;
            }
        }
    }

    /// <summary>
    /// Whether an event is dropped at <paramref name="share"/>: the first 8 bytes of SHA-256(event_id),
    /// read big-endian as a fraction of 2^64, fall below the share.
    /// </summary>
    public static bool IsDropped(string? eventId, double share)
    {
        if (share <= 0)
        {
            return false;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(eventId ?? ""));
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0 < share;
    }

    /// <summary>Browser events TikTok "received" for the pixel, event and UTC day; <paramref name="deduplicated"/> of them matched server events.</summary>
    public void SetBrowser(string pixelCode, string eventName, DateOnly day, long count, long deduplicated)
    {
        lock (_lock)
        {
            _browser[(pixelCode, eventName, day)] = new BrowserCount(count, deduplicated);
        }
    }

    /// <summary>
    /// Counts per event name over UTC days <paramref name="start"/> to <paramref name="end"/>, by the day of
    /// each event's event_time. Duplicates and test events (test_event_code) are not counted.
    /// </summary>
    public IReadOnlyList<EventTypeCount> Count(string pixelCode, IEnumerable<ReceivedEvent> received, DateOnly start, DateOnly end)
    {
        double share;
        Dictionary<string, (long Count, long Deduplicated)> browser;
        lock (_lock)
        {
            share = _dropShare;
            browser = _browser.Where(b => b.Key.Pixel == pixelCode && b.Key.Day >= start && b.Key.Day <= end)
                .GroupBy(b => b.Key.Event, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (g.Sum(b => b.Value.Count), g.Sum(b => b.Value.Deduplicated)), StringComparer.Ordinal);
        }
        var server = new Dictionary<string, (long Server, long Attributed)>(StringComparer.Ordinal);
        foreach (var e in received)
        {
            if (e.Duplicate || e.TestEventCode is not null || e.EventDay < start || e.EventDay > end || IsDropped(e.EventId, share))
            {
                continue;
            }
            var (count, attributed) = server.GetValueOrDefault(e.Event);
            // The sandbox runs no ads: an event with a click id stands in for one TikTok attributes.
            server[e.Event] = (count + 1, attributed + (e.HasClickId ? 1 : 0));
        }
        return [.. server.Keys.Union(browser.Keys).Order(StringComparer.Ordinal).Select(name =>
        {
            var (count, attributed) = server.GetValueOrDefault(name);
            var (browsed, deduplicated) = browser.GetValueOrDefault(name);
            return new EventTypeCount(name, count, browsed, Math.Min(deduplicated, Math.Min(count, browsed)), attributed);
        })];
    }

    public void Clear()
    {
        lock (_lock)
        {
            _browser.Clear();
            _dropShare = _configuredDropShare;
        }
    }

    private sealed record BrowserCount(long Count, long Deduplicated);
}

/// <summary>One event name's counts; total = server + browser − deduplicated (events TikTok got both ways and merged).</summary>
public sealed record EventTypeCount(string Event, long Server, long Browser, long Deduplicated, long Attributed)
{
    public long Total => Server + Browser - Deduplicated;
}
