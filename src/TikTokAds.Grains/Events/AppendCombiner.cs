using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Events;

/// <summary>One pixel's append as a grain asks for it: its events and buyer facts, the time it was taken and its dedup window.</summary>
public sealed record AppendRequest(string PixelKey, IReadOnlyList<NewEvent> Events, IReadOnlyList<BuyerFact> Facts, DateTimeOffset Now, TimeSpan DedupWindow);

/// <summary>
/// Group commit of appends on one node (<see cref="WriteCombiner{TRequest, TResult}"/>): appends that wait for a write
/// go together, up to <c>eventsPerWrite</c> events, and only appends with the same dedup window in one write. A
/// pixel's appends share a write when no event of one is also in another (its accepts interleave, so its concurrent
/// requests wait here together); an event sent twice at once goes in a later write, which finds the first stored.
/// A second write starts beside a running one only once the appends waiting hold a quarter of <c>eventsPerWrite</c>:
/// single events then gather behind the running write, a few dozen in one transaction instead of two half-full ones
/// (P3 in docs/BENCHMARKS.md, twelfth pass), while many pixels' batches still keep two backends busy.
/// </summary>
public sealed class AppendCombiner(
    Func<IReadOnlyList<AppendRequest>, Task<IReadOnlyList<IReadOnlyList<long?>>>> write,
    Func<Exception, bool> retryAlone,
    int writesInFlight,
    int eventsPerWrite = AppendCombiner.DefaultEventsPerWrite)
{
    public const int DefaultEventsPerWrite = 2000;

    private readonly WriteCombiner<AppendRequest, IReadOnlyList<long?>> _writes = new(write, retryAlone, writesInFlight, new(
        r => r.PixelKey, r => r.Events.Count, eventsPerWrite, (head, next) => next.DedupWindow == head.DedupWindow, StartBesideAt: eventsPerWrite / 4, SamePixel: Disjoint));

    /// <summary>Whether <paramref name="next"/> holds none of the events of a pixel's appends already in a write.</summary>
    private static bool Disjoint(IReadOnlyList<AppendRequest> samePixel, AppendRequest next)
    {
        var keys = new HashSet<(string, string)>();
        foreach (var request in samePixel)
        {
            foreach (var e in request.Events)
            {
                keys.Add((e.EventName, e.EventId));
            }
        }
        return !next.Events.Any(e => keys.Contains((e.EventName, e.EventId)));
    }

    /// <summary>The sequence number of each event, or null for a duplicate, as <see cref="IEventStore.AppendAsync"/> answers.</summary>
    public Task<IReadOnlyList<long?>> AppendAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return request.Events.Count == 0 && request.Facts.Count == 0
            ? Task.FromResult<IReadOnlyList<long?>>([])
            : _writes.WriteAsync(request, cancellationToken);
    }
}
