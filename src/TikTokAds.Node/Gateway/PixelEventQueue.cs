using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// Group commit at the gateway. Events for a pixel that arrive while a call to its grain is in flight wait,
/// and the next call carries all of them (up to <see cref="MaxEventsPerCall"/>): N concurrent requests cost one
/// grain call and one database write instead of N. Nobody waits for a timer; a lone request goes at once.
/// Once the waiting events fill a call, that call starts beside the one in flight (up to <see cref="MaxCallsInFlight"/>):
/// the pixel's accepts interleave (IPixelGrain), so a full batch does not queue behind another call's write, while
/// single events still gather.
/// Each caller hears its own events' outcomes only when the call holding them has returned, so "accepted"
/// still means stored.
/// </summary>
internal sealed class PixelEventQueue(Func<string, string, IPixelGrain> pixels)
{
    public PixelEventQueue(IGrainFactory grains)
        : this(grains.Pixel)
    {
    }

    /// <summary>Requests join a call until it holds this many events; a bigger request still goes whole.</summary>
    public const int MaxEventsPerCall = 1000;

    /// <summary>
    /// The most calls to one pixel in flight at once. Two keep the grain busy while one call's write commits; more only
    /// put more database backends on the same pixel's rows.
    /// </summary>
    public const int MaxCallsInFlight = 2;

    // Keyed by the pair itself: a grain key string per request would be garbage at once.
    private readonly ConcurrentDictionary<(string OrganizerId, string PixelId), Lane> _lanes = new();

    public Task<IReadOnlyList<EventOutcome>> AcceptAsync(string organizerId, string pixelId, IReadOnlyList<PixelEvent> events)
    {
        var waiter = new Waiter(events);
        var key = (organizerId, pixelId);
        while (true)
        {
            var lane = _lanes.GetOrAdd(key, static k => new Lane());
            bool start;
            lock (lane)
            {
                if (lane.Retired)
                {
                    continue;
                }
                lane.Waiting.Add(waiter);
                lane.WaitingEvents += events.Count;
                start = MayCall(lane, lane.Running);
                lane.Running += start ? 1 : 0;
            }
            if (start)
            {
                _ = DrainAsync(key, lane, pixels(organizerId, pixelId));
            }
            return waiter.Outcomes.Task;
        }
    }

    private async Task DrainAsync((string, string) key, Lane lane, IPixelGrain pixel)
    {
        // The calls belong to no single request: each event carries its own request's trace id. Nor are they traced:
        // a trace of their own would be sampled out (RequestRootSampler), yet Orleans would still create its activity
        // and carry its context into the grain with each call, a tenth of what a single event allocated (docs/BENCHMARKS.md,
        // thirty-seventh pass).
        Activity.Current = null;
        using var untraced = SuppressInstrumentationScope.Begin();
        while (Take(key, lane) is { } group)
        {
            var events = group.Count == 1 ? group[0].Events : [.. group.SelectMany(w => w.Events)];
            try
            {
                // Not the first caller's token: a caller going away must not cancel the others' write.
                var outcomes = await pixel.AcceptAsync(events);
                var at = 0;
                foreach (var waiter in group)
                {
                    waiter.Outcomes.TrySetResult(group.Count == 1 ? outcomes : Slice(outcomes, at, waiter.Events.Count));
                    at += waiter.Events.Count;
                }
            }
            catch (Exception exception)
            {
                foreach (var waiter in group)
                {
                    waiter.Outcomes.TrySetException(exception);
                }
            }
        }
    }

    private static EventOutcome[] Slice(IReadOnlyList<EventOutcome> outcomes, int start, int count)
    {
        var slice = new EventOutcome[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = outcomes[start + i];
        }
        return slice;
    }

    /// <summary>
    /// Whether a call may start (or a finished one go on) beside <paramref name="others"/> in flight: alone, or once
    /// the waiting events fill a call and fewer than <see cref="MaxCallsInFlight"/> are in flight. Called under the
    /// lane's lock.
    /// </summary>
    private static bool MayCall(Lane lane, int others)
        => lane.Waiting.Count > 0 && (others == 0 || (others < MaxCallsInFlight && lane.WaitingEvents >= MaxEventsPerCall));

    /// <summary>
    /// The next call's requests, or null when this call stops: nothing waits, or what waits is left to a call still in
    /// flight. The last call to stop retires the lane, which is then forgotten.
    /// </summary>
    private List<Waiter>? Take((string, string) key, Lane lane)
    {
        lock (lane)
        {
            if (!MayCall(lane, lane.Running - 1))
            {
                if (--lane.Running == 0)
                {
                    lane.Retired = true;
                    _lanes.TryRemove(new KeyValuePair<(string, string), Lane>(key, lane));
                }
                return null;
            }
            var taken = 0;
            var events = 0;
            while (taken < lane.Waiting.Count && (taken == 0 || events + lane.Waiting[taken].Events.Count <= MaxEventsPerCall))
            {
                events += lane.Waiting[taken].Events.Count;
                taken++;
            }
            var group = lane.Waiting.GetRange(0, taken);
            lane.Waiting.RemoveRange(0, taken);
            lane.WaitingEvents -= events;
            return group;
        }
    }

    private sealed class Lane
    {
        public List<Waiter> Waiting { get; } = [];

        /// <summary>The events of <see cref="Waiting"/>.</summary>
        public int WaitingEvents { get; set; }

        /// <summary>Calls in flight.</summary>
        public int Running { get; set; }

        /// <summary>Removed from the map; a request that still found it takes a fresh lane instead.</summary>
        public bool Retired { get; set; }
    }

    private sealed class Waiter(IReadOnlyList<PixelEvent> events)
    {
        public IReadOnlyList<PixelEvent> Events { get; } = events;

        // Callers continue on their own threads, not on the one about to make the next call.
        public TaskCompletionSource<IReadOnlyList<EventOutcome>> Outcomes { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
