using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Segments;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>
/// Taking a request's events: duplicates within the request and within the dedup window are answered
/// as such; the rest are stored in one write before anyone hears "accepted", then buffered for sending.
/// </summary>
public sealed class PixelIntake(IEventStore store, PixelBuffer buffer, TimeSpan dedupWindow, DomainMetrics metrics)
{
    private readonly DedupWindow _recent = new(dedupWindow, capacity: 50_000);

    /// <summary>
    /// The events of the pixel's appends under way, each with its append. The pixel's accepts interleave: a request
    /// that repeats one of these events waits for that append, then asks <see cref="_recent"/> again. Two writes of a
    /// pixel then never hold the same event, where in PostgreSQL each would wait for the other's rows.
    /// </summary>
    private readonly Dictionary<(string, string), Task> _underWay = [];

    /// <summary>Duplicates answered since the pixel last wrote its state (they leave no row in the store).</summary>
    public long NewDuplicates { get; private set; }

    /// <summary>Hands the count over to the state being written, and starts again from zero.</summary>
    public long TakeNewDuplicates()
    {
        var count = NewDuplicates;
        NewDuplicates = 0;
        return count;
    }

    /// <summary>Forgets the event ids answered without the store (an idle pixel's memory); the duplicate count is kept.</summary>
    public void ForgetRecent() => _recent.Forget();

    /// <summary>One outcome per event, in order.</summary>
    public async Task<IReadOnlyList<EventOutcome>> AcceptAsync(string pixelKey, IReadOnlyList<PixelEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Within one request the first copy of a pair counts; the store decides against earlier requests.
        var outcomes = new EventOutcome[events.Count];
        var first = new HashSet<(string, string)>();
        var unique = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!first.Add((e.EventName, e.EventId)))
            {
                outcomes[i] = new EventOutcome(e.EventId, EventStatuses.Duplicate, 0, "Duplicate: the same event came earlier in this request, or in one that arrived at the same moment.");
            }
            else if (_recent.Contains(e.EventName, e.EventId, now))
            {
                // A retry of something this activation just stored: answered without a database round trip.
                outcomes[i] = DuplicateOf(e);
            }
            else
            {
                unique.Add(i);
            }
        }
        await WaitForRepeatsAsync(events, unique, outcomes, now);
        var appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var i in unique)
        {
            _underWay[(events[i].EventName, events[i].EventId)] = appended.Task;
        }
        buffer.AppendStarted();
        try
        {
            return await AppendAsync(pixelKey, events, unique, outcomes, now, cancellationToken);
        }
        finally
        {
            buffer.AppendEnded();
            foreach (var i in unique)
            {
                var key = (events[i].EventName, events[i].EventId);
                if (_underWay.TryGetValue(key, out var append) && append == appended.Task)
                {
                    _underWay.Remove(key);
                }
            }
            appended.SetResult();
        }
    }

    /// <summary>
    /// Waits for the appends under way that hold any of <paramref name="unique"/>'s events; those they stored are then
    /// duplicates, and leave <paramref name="unique"/>. One that failed left its events to this request.
    /// </summary>
    private async Task WaitForRepeatsAsync(IReadOnlyList<PixelEvent> events, List<int> unique, EventOutcome[] outcomes, DateTimeOffset now)
    {
        while (_underWay.Count > 0 && unique.Select(i => _underWay.GetValueOrDefault((events[i].EventName, events[i].EventId))).OfType<Task>().Distinct().ToList() is { Count: > 0 } appends)
        {
            await Task.WhenAll(appends);
            unique.RemoveAll(i =>
            {
                var e = events[i];
                if (!_recent.Contains(e.EventName, e.EventId, now))
                {
                    return false;
                }
                outcomes[i] = DuplicateOf(e);
                return true;
            });
        }
    }

    private async Task<IReadOnlyList<EventOutcome>> AppendAsync(string pixelKey, IReadOnlyList<PixelEvent> events, List<int> unique, EventOutcome[] outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var toStore = unique.Select(i => events[i]).Select(e => new NewEvent(e.EventName, e.EventId, e.EventSource, null, TrackEventJson.From(e.Payload.ToTrackEvent()),
            e.SkipReason is null ? EventStatuses.Accepted : EventStatuses.Skipped, e.SkipReason, e.TraceId)).ToList();
        // Segments' facts go with the append, and the store records those of the events it inserts: a retry after a
        // failed append records what it left out, and a fact already recorded is not recorded again.
        var pixel = Contracts.GrainKeys.Split(pixelKey);
        var facts = unique.Select(i => BuyerFact.Of(pixel, events[i], now)).OfType<BuyerFact>().ToList();
        IReadOnlyList<long?> seqs;
        try
        {
            seqs = await store.AppendAsync(pixelKey, toStore, facts, now, dedupWindow, cancellationToken);
        }
        catch
        {
            // The events may be stored all the same: half of a large write committed and the other half failed
            // (PostgresEventStore.SplitFrom), or the answer was lost after the commit. The client's retry hears them as duplicates and never buffers
            // them, so the buffer reads the store again once it has drained, rather than at the next activation.
            buffer.ReloadWhenDrained();
            throw;
        }
        // Into the buffer in seq order: a large append's parts draw their seqs at the same time, and the pixel's other
        // accepts interleave with this one (PixelBuffer.Add merges).
        var accepted = new List<BufferedEvent>(unique.Count);
        for (var j = 0; j < unique.Count; j++)
        {
            var e = events[unique[j]];
            _recent.TryAdd(e.EventName, e.EventId, now);
            outcomes[unique[j]] = (seqs[j], e.SkipReason) switch
            {
                (null, _) => DuplicateOf(e),
                (_, { } reason) => new EventOutcome(e.EventId, EventStatuses.Skipped, 0, $"Skipped: {reason}."),
                ({ } seq, null) => Accepted(accepted, new BufferedEvent(seq, e.EventName, e.EventId, e.EventSource, null, toStore[j].Payload, now)),
            };
        }
        accepted.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        buffer.Add(accepted);
        foreach (var group in outcomes.GroupBy(o => o.Status))
        {
            metrics.Received(group.Key, group.Count());
        }
        NewDuplicates += outcomes.Count(o => o.Status == EventStatuses.Duplicate);
        return outcomes;
    }

    /// <summary>Test mode: the event is stored alone, apart from the dedup window, and sent at once by the caller.</summary>
    public async Task<BufferedEvent> StoreTestEventAsync(string pixelKey, PixelEvent e, string? testEventCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payload = TrackEventJson.From(e.Payload.ToTrackEvent());
        var stored = await store.AppendAsync(pixelKey, [new NewEvent(e.EventName, e.EventId, e.EventSource, testEventCode, payload, EventStatuses.Accepted, "test", e.TraceId)], [], now, TimeSpan.Zero, cancellationToken);
        return new BufferedEvent(stored[0]!.Value, e.EventName, e.EventId, e.EventSource, testEventCode, payload, now);
    }

    private static EventOutcome Accepted(List<BufferedEvent> accepted, BufferedEvent item)
    {
        accepted.Add(item);
        return new EventOutcome(item.EventId, EventStatuses.Accepted, 0, "Accepted: stored and queued for TikTok.");
    }

    private EventOutcome DuplicateOf(PixelEvent e)
        => new(e.EventId, EventStatuses.Duplicate, 0, $"Duplicate: {e.EventName} {e.EventId} was already accepted within {dedupWindow.TotalHours:0} h; it is not sent again.");
}
