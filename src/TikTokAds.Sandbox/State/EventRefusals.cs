using System.Collections.Concurrent;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// Events this TikTok refuses by event_id, set through the admin API: it stands for causes only TikTok knows
/// (a pixel setting, a catalogue rule). A request holding one is refused whole with 40002 naming the event's
/// index, as TikTok refuses a batch for one bad event; removing the rule is "fixing the cause".
/// </summary>
public sealed class EventRefusals
{
    private readonly ConcurrentDictionary<string, string> _byEventId = new(StringComparer.Ordinal);

    public void Add(IEnumerable<string> eventIds, string message)
    {
        foreach (var id in eventIds)
        {
            _byEventId[id] = message;
        }
    }

    public string? Reason(string? eventId) => eventId is not null && _byEventId.TryGetValue(eventId, out var message) ? message : null;

    public void Clear() => _byEventId.Clear();
}
