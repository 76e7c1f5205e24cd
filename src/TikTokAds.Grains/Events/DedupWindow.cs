using System.Security.Cryptography;

namespace TikTokAds.Grains.Events;

/// <summary>
/// TikTok's rule, kept locally: a second (event, event_id) within the window is a duplicate; after it,
/// the same pair counts as new. Entries older than the window are pruned as time passes, and the oldest
/// go first beyond <paramref name="capacity"/> (the store stays the authority for what falls out).
/// </summary>
/// <remarks>
/// A pair is remembered as a 64-bit keyed hash and a time, about 45 bytes, where the strings cost about
/// 250: a pixel holds up to <paramref name="capacity"/> of them. Two pairs could share a hash with odds of
/// about Count / 2^64, and the key is random per process, so such a pair cannot be made on purpose.
/// </remarks>
public sealed class DedupWindow(TimeSpan window, int capacity = int.MaxValue)
{
    private static readonly long Key = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    private readonly Dictionary<ulong, long> _seen = [];
    private readonly Queue<(ulong Pair, long At)> _order = new();

    public TimeSpan Window => window;

    public int Count => _seen.Count;

    /// <summary>True, and remembered, if the pair is new within the window; false for a duplicate.</summary>
    public bool TryAdd(string eventName, string eventId, DateTimeOffset now)
    {
        Prune(now);
        var pair = Hash(eventName, eventId);
        if (_seen.TryGetValue(pair, out var first) && now.UtcTicks - first < window.Ticks)
        {
            return false;
        }
        _seen[pair] = now.UtcTicks;
        _order.Enqueue((pair, now.UtcTicks));
        while (_seen.Count > capacity && _order.TryDequeue(out var oldest))
        {
            if (_seen.TryGetValue(oldest.Pair, out var at) && at == oldest.At)
            {
                _seen.Remove(oldest.Pair);
            }
        }
        return true;
    }

    public bool Contains(string eventName, string eventId, DateTimeOffset now)
        => _seen.TryGetValue(Hash(eventName, eventId), out var first) && now.UtcTicks - first < window.Ticks;

    /// <summary>Drops every pair and gives the arrays back; the store remains the authority for what was seen.</summary>
    public void Forget()
    {
        _seen.Clear();
        _seen.TrimExcess();
        _order.Clear();
        _order.TrimExcess();
    }

    private static ulong Hash(string eventName, string eventId) => ChainedHash.Of(Key, eventName, eventId);

    private void Prune(DateTimeOffset now)
    {
        var pruned = false;
        while (_order.Count > 0 && now.UtcTicks - _order.Peek().At >= window.Ticks)
        {
            pruned = true;
            var (pair, at) = _order.Dequeue();
            if (_seen.TryGetValue(pair, out var current) && current == at)
            {
                _seen.Remove(pair);
            }
        }
        if (pruned && _order.Count == 0)
        {
            // Emptied by time: give the arrays back rather than keep them for a pixel that may stay quiet.
            _seen.TrimExcess();
            _order.TrimExcess();
        }
    }
}
