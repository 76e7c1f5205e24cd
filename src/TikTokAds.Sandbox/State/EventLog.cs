namespace TikTokAds.Sandbox.State;

/// <summary>Everything sent to event/track/: each request, each event, and TikTok-style 48 h deduplication.</summary>
public sealed class EventLog(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<TrackRequestRecord> _requests = [];
    private readonly Dictionary<string, List<ReceivedEvent>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Pixel, string Event, string EventId), DateTimeOffset> _firstSeen = [];
    private readonly Dictionary<int, long> _codes = [];

    public void RecordRequest(TrackRequestRecord request)
    {
        lock (_lock)
        {
            _requests.Add(request);
            _codes[request.Code] = _codes.GetValueOrDefault(request.Code) + 1;
        }
    }

    /// <summary>Keeps each event; one whose (event, event_id) was seen on this pixel within the window counts as a duplicate.</summary>
    public int Accept(IEnumerable<ReceivedEvent> events, TimeSpan dedupWindow)
    {
        var duplicates = 0;
        lock (_lock)
        {
            foreach (var received in events)
            {
                var stored = received;
                if (received.EventId is { Length: > 0 } eventId && received.TestEventCode is null)
                {
                    var key = (received.PixelCode, received.Event, eventId);
                    if (_firstSeen.TryGetValue(key, out var first) && received.ReceivedAt - first < dedupWindow)
                    {
                        stored = received with { Duplicate = true };
                        duplicates++;
                    }
                    else
                    {
                        _firstSeen[key] = received.ReceivedAt;
                    }
                }
                if (!_events.TryGetValue(received.PixelCode, out var list))
                {
                    _events[received.PixelCode] = list = [];
                }
                list.Add(stored);
            }
        }
        return duplicates;
    }

    public IReadOnlyList<ReceivedEvent> Events(string? pixelCode, int offset, int limit)
    {
        lock (_lock)
        {
            var source = pixelCode is null ? _events.Values.SelectMany(e => e) : _events.GetValueOrDefault(pixelCode) ?? [];
            return [.. source.Skip(offset).Take(limit)];
        }
    }

    public IReadOnlyList<TrackRequestRecord> Requests(string? pixelCode)
    {
        lock (_lock)
        {
            return [.. _requests.Where(r => pixelCode is null || r.PixelCode == pixelCode)];
        }
    }

    public EventStats Stats(string? pixelCode)
    {
        lock (_lock)
        {
            var events = pixelCode is null ? _events.Values.SelectMany(e => e).ToList() : _events.GetValueOrDefault(pixelCode) ?? [];
            var requests = _requests.Where(r => pixelCode is null || r.PixelCode == pixelCode).ToList();
            return new EventStats(
                requests.Count,
                requests.Count(r => r.Code == 0),
                requests.Count(r => r.Code == 40100),
                events.Count,
                events.Count(e => !e.Duplicate),
                events.Count(e => e.Duplicate),
                events.Count(e => e.TestEventCode is not null),
                requests.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => (long)g.Count()),
                time.GetUtcNow());
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
            _events.Clear();
            _firstSeen.Clear();
            _codes.Clear();
        }
    }
}

public sealed record EventStats(
    int Requests,
    int AcceptedRequests,
    int ThrottledRequests,
    int Events,
    int UniqueEvents,
    int DuplicateEvents,
    int TestEvents,
    Dictionary<int, long> RequestsByCode,
    DateTimeOffset At);
