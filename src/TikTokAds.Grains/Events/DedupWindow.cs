namespace TikTokAds.Grains.Events;

/// <summary>
/// TikTok's rule, kept locally: a second (event, event_id) within the window is a duplicate; after it,
/// the same pair counts as new. Entries older than the window are pruned as time passes, and the oldest
/// go first beyond <paramref name="capacity"/> (the store stays the authority for what falls out).
/// </summary>
public sealed class DedupWindow(TimeSpan window, int capacity = int.MaxValue)
{
    private readonly Dictionary<(string Event, string EventId), DateTimeOffset> _seen = [];
    private readonly Queue<((string Event, string EventId) Key, DateTimeOffset At)> _order = new();

    public TimeSpan Window => window;

    public int Count => _seen.Count;

    /// <summary>True, and remembered, if the pair is new within the window; false for a duplicate.</summary>
    public bool TryAdd(string eventName, string eventId, DateTimeOffset now)
    {
        Prune(now);
        var key = (eventName, eventId);
        if (_seen.TryGetValue(key, out var first) && now - first < window)
        {
            return false;
        }
        _seen[key] = now;
        _order.Enqueue((key, now));
        while (_seen.Count > capacity && _order.TryDequeue(out var oldest))
        {
            if (_seen.TryGetValue(oldest.Key, out var at) && at == oldest.At)
            {
                _seen.Remove(oldest.Key);
            }
        }
        return true;
    }

    public bool Contains(string eventName, string eventId, DateTimeOffset now)
        => _seen.TryGetValue((eventName, eventId), out var first) && now - first < window;

    private void Prune(DateTimeOffset now)
    {
        while (_order.Count > 0 && now - _order.Peek().At >= window)
        {
            var (key, at) = _order.Dequeue();
            if (_seen.TryGetValue(key, out var current) && current == at)
            {
                _seen.Remove(key);
            }
        }
    }
}
