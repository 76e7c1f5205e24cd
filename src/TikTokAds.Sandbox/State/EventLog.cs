using System.Runtime.InteropServices;

namespace TikTokAds.Sandbox.State;

/// <summary>Everything sent to event/track/: each request, each event, and TikTok-style 48 h deduplication.</summary>
public sealed class EventLog(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<TrackRequestRecord> _requests = [];
    private readonly Dictionary<string, List<ReceivedEvent>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Pixel, string Event, string EventId), DateTimeOffset> _firstSeen = [];

    // Stats are polled (by tests and benchmarks) while millions of events arrive: counting as they come
    // keeps each poll from walking every event under the lock that Accept waits for.
    private readonly Dictionary<string, EventTally> _tallies = new(StringComparer.Ordinal);
    private EventTally _all = new();

    public void RecordRequest(TrackRequestRecord request)
    {
        lock (_lock)
        {
            _requests.Add(request);
            _all.Count(request);
            if (request.PixelCode is { } pixel)
            {
                TallyOf(pixel).Count(request);
            }
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
                    ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_firstSeen, (received.PixelCode, received.Event, eventId), out var seen);
                    if (seen && received.ReceivedAt - first < dedupWindow)
                    {
                        stored = received with { Duplicate = true };
                        duplicates++;
                    }
                    else
                    {
                        first = received.ReceivedAt;
                    }
                }
                if (!_events.TryGetValue(received.PixelCode, out var list))
                {
                    _events[received.PixelCode] = list = [];
                }
                list.Add(stored);
                _all.Count(stored);
                TallyOf(received.PixelCode).Count(stored);
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
            var tally = pixelCode is null ? _all : _tallies.GetValueOrDefault(pixelCode) ?? new EventTally();
            return tally.ToStats(time.GetUtcNow());
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
            _events.Clear();
            _firstSeen.Clear();
            _tallies.Clear();
            _all = new EventTally();
        }
    }

    private EventTally TallyOf(string pixelCode)
    {
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, pixelCode, out _);
        return tally ??= new EventTally();
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
