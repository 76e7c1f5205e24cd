using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Assurance;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>
/// The embedded default's event store: same rules as pixel_events, kept as long as the process, except that only the
/// latest <paramref name="maxSettled"/> settled events are kept: a node taking thousands of events a second would
/// otherwise hold every event it ever delivered, and its collections grew slower as the heap did.
/// </summary>
/// <param name="buyerFacts">Where buyer facts go: recorded before the events, so a failure leaves neither.</param>
/// <param name="maxSettled">Settled (delivered or skipped) events kept, across pixels; the oldest settled go first.</param>
public sealed class InMemoryEventStore(Segments.IBuyerFactStore? buyerFacts = null, int maxSettled = 100_000) : IEventStore
{
    /// <summary>Settled rows in the order they settled; entries whose row has gone or changed are skipped when reached.</summary>
    private readonly Queue<(string PixelKey, long Seq)> _settled = new();
    private readonly Lock _lock = new();
    /// <summary>Request records kept per pixel; older ones are forgotten first.</summary>
    public const int MaxRequestsPerPixel = 10_000;

    private readonly Dictionary<string, Dictionary<(string, string), Row>> _pixels = new(StringComparer.Ordinal);
    /// <summary>Per pixel, each row's key by its sequence number.</summary>
    private readonly Dictionary<string, Dictionary<long, (string, string)>> _seqs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SentRequest>> _requests = new(StringComparer.Ordinal);
    private long _seq;
    private long _requestId;

    /// <summary>How many rows a pixel's table has room for (for tests: a drained backlog must not keep its arrays).</summary>
    internal int RowCapacity(string pixelKey)
    {
        lock (_lock)
        {
            return _pixels.TryGetValue(pixelKey, out var rows) ? rows.Capacity : 0;
        }
    }

    public async Task<IReadOnlyList<long?>> AppendAsync(string pixelKey, IReadOnlyList<NewEvent> events, IReadOnlyList<Segments.BuyerFact> facts, DateTimeOffset now, TimeSpan dedupWindow, CancellationToken cancellationToken)
    {
        if (facts.Count > 0 && buyerFacts is not null)
        {
            await buyerFacts.RecordAsync(facts, cancellationToken);
        }
        return Append(pixelKey, events, now, dedupWindow);
    }

    private long?[] Append(string pixelKey, IReadOnlyList<NewEvent> events, DateTimeOffset now, TimeSpan dedupWindow)
    {
        lock (_lock)
        {
            var rows = Rows(pixelKey);
            var result = new long?[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (rows.TryGetValue((e.EventName, e.EventId), out var existing))
                {
                    if (now - existing.AcceptedAt < dedupWindow)
                    {
                        continue;
                    }
                    _seqs[pixelKey].Remove(existing.Seq);
                }
                var seq = ++_seq;
                rows[(e.EventName, e.EventId)] = new Row(seq, e, now);
                _seqs[pixelKey][seq] = (e.EventName, e.EventId);
                result[i] = seq;
                Settled(pixelKey, seq, e.Status);
            }
            ForgetOldestSettled();
            return result;
        }
    }

    public Task<IReadOnlyList<BufferedEvent>> LoadPendingAsync(string pixelKey, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<BufferedEvent> pending = Select(pixelKey, Seqs(Rows(pixelKey), r => r.Status == EventStatuses.Accepted, limit),
                r => new BufferedEvent(r.Seq, r.EventName, r.EventId, r.EventSource, r.TestEventCode, r.Payload, r.AcceptedAt));
            return Task.FromResult(pending);
        }
    }

    public async Task MarkDeliveredAsync(string pixelKey, SentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await RecordRequestAsync(pixelKey, request, cancellationToken);
        await Settle(pixelKey, request.Seqs, (ref Row r) => (r.Status, r.DeliveredAt, r.RequestId, r.Code, r.Message, r.Attempts) = (EventStatuses.Delivered, now, request.RequestId, 0, "OK", r.Attempts + 1));
    }

    public Task MarkFailedAsync(string pixelKey, IReadOnlyList<long> seqs, int code, string message, string? requestId, DateTimeOffset now, CancellationToken cancellationToken)
        => Settle(pixelKey, seqs, (ref Row r) => (r.Status, r.FailedAt, r.Code, r.Message, r.RequestId, r.Attempts) = (EventStatuses.Failed, now, code, message, requestId, r.Attempts + 1));

    public Task<IReadOnlyList<EventRecord>> FindAsync(string pixelKey, string eventId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<EventRecord> found = Select(pixelKey, Seqs(Rows(pixelKey), r => r.EventId == eventId), r => r.Record());
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<EventRecord>> LatestAsync(string pixelKey, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<EventRecord> latest = Select(pixelKey, Seqs(Rows(pixelKey), _ => true, limit, newestFirst: true), r => r.Record());
            return Task.FromResult(latest);
        }
    }

    public Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string pixelKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var row in Rows(pixelKey).Values)
            {
                counts[row.Status] = counts.GetValueOrDefault(row.Status) + 1;
            }
            return Task.FromResult<IReadOnlyDictionary<string, long>>(counts);
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var purged = 0;
            foreach (var (pixelKey, rows) in _pixels)
            {
                var index = _seqs[pixelKey];
                // Removing from a dictionary does not end its enumeration (since .NET Core 3.0).
                foreach (var (key, row) in rows)
                {
                    if (Expired(row, olderThan, deadLettersOlderThan))
                    {
                        rows.Remove(key);
                        index.Remove(row.Seq);
                        purged++;
                    }
                }
                Shrink(rows, index);
            }
            foreach (var requests in _requests.Values)
            {
                purged += requests.RemoveAll(r => r.SentAt < olderThan);
            }
            return Task.FromResult(purged);
        }
    }

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string pixelKey, DeadLetterQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var ids = query.EventIds?.ToHashSet(StringComparer.Ordinal);
            var seqs = Seqs(Rows(pixelKey), r => r.Status == EventStatuses.Failed
                    && (query.Code is null || r.Code == query.Code)
                    && (query.EventName is null || r.EventName == query.EventName)
                    && (query.From is null || r.FailedAt >= query.From)
                    && (query.To is null || r.FailedAt < query.To)
                    && (ids is null || ids.Contains(r.EventId))
                    && (query.BeforeSeq is null || r.Seq < query.BeforeSeq),
                query.Limit, newestFirst: true);
            IReadOnlyList<DeadLetter> letters = Select(pixelKey, seqs, r => new DeadLetter(r.Seq, r.EventName, r.EventId, r.EventSource, r.TestEventCode,
                r.Code ?? 0, r.Message ?? "", r.RequestId, r.AcceptedAt, r.FailedAt!.Value, r.Attempts, r.Replays, r.Payload));
            return Task.FromResult(letters);
        }
    }

    public Task<IReadOnlyList<BufferedEvent>> ReviveAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var revived = new List<BufferedEvent>();
            var rows = Rows(pixelKey);
            var index = _seqs[pixelKey];
            foreach (var seq in seqs.Order())
            {
                ref var row = ref RowAt(rows, index, seq);
                if (Unsafe.IsNullRef(ref row) || row.Status != EventStatuses.Failed)
                {
                    continue;
                }
                row.Replays++;
                (row.Status, row.FailedAt, row.Code, row.Message, row.RequestId) = (EventStatuses.Accepted, null, null, null, null);
                revived.Add(new BufferedEvent(row.Seq, row.EventName, row.EventId, row.EventSource, row.TestEventCode, row.Payload, row.AcceptedAt));
            }
            return Task.FromResult<IReadOnlyList<BufferedEvent>>(revived);
        }
    }

    public Task RecordRequestAsync(string pixelKey, SentRequest request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_requests.TryGetValue(pixelKey, out var requests))
            {
                _requests[pixelKey] = requests = [];
            }
            if (requests.Count >= MaxRequestsPerPixel)
            {
                requests.RemoveAt(0);
            }
            requests.Add(request with { Id = ++_requestId });
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<SentRequest>> RequestsAsync(string pixelKey, RequestLogQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<SentRequest> found = _requests.TryGetValue(pixelKey, out var requests)
                ? [.. requests.Where(r => (query.Outcome is null || r.Outcome == query.Outcome)
                        && (query.EventName is null || r.EventNames.Contains(query.EventName))
                        && (query.From is null || r.SentAt >= query.From)
                        && (query.To is null || r.SentAt < query.To)
                        && (query.BeforeId is null || r.Id < query.BeforeId))
                    .OrderByDescending(r => r.Id)
                    .Take(query.Limit)]
                : [];
            return Task.FromResult(found);
        }
    }

    public Task<long> DeliveredSinceAsync(string pixelKey, DateTimeOffset hour, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult((_requests.GetValueOrDefault(pixelKey) ?? []).Where(r => r.Outcome == "success" && r.SentAt >= hour).Sum(r => (long)r.Seqs.Count));
        }
    }

    public Task<IReadOnlyDictionary<string, RequestSignals>> RequestSignalsAsync(IReadOnlyList<string> pixelKeys, DateTimeOffset windowStart, DateTimeOffset historyStart, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var signals = new Dictionary<string, RequestSignals>(StringComparer.Ordinal);
            var firstHour = UtcHour.Of(historyStart);
            foreach (var key in pixelKeys.Distinct(StringComparer.Ordinal))
            {
                var pixel = signals[key] = new RequestSignals { Waiting = _pixels.TryGetValue(key, out var rows) && rows.Values.Any(r => r.Status == EventStatuses.Accepted) };
                foreach (var request in _requests.GetValueOrDefault(key) ?? [])
                {
                    if (request.SentAt >= windowStart)
                    {
                        pixel.Outcomes[request.Outcome] = pixel.Outcomes.GetValueOrDefault(request.Outcome) + 1;
                    }
                    if (request.Outcome == "success" && request.Seqs.Count > 0 && UtcHour.Of(request.SentAt) is var hour && hour >= firstHour)
                    {
                        pixel.DeliveredByHour[hour] = pixel.DeliveredByHour.GetValueOrDefault(hour) + request.Seqs.Count;
                    }
                }
            }
            return Task.FromResult<IReadOnlyDictionary<string, RequestSignals>>(signals);
        }
    }

    public Task<IReadOnlyDictionary<long, TrackEventJson>> PayloadsAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<long, TrackEventJson> payloads = Select(pixelKey, seqs, r => (r.Seq, r.Payload)).ToDictionary(r => r.Seq, r => r.Payload);
            return Task.FromResult(payloads);
        }
    }

    private static bool Expired(in Row row, DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan) => row.Status switch
    {
        EventStatuses.Accepted => false,
        EventStatuses.Failed => row.FailedAt < deadLettersOlderThan,
        _ => row.AcceptedAt < olderThan,
    };

    /// <summary>Changes a row in place, where the pixel's table keeps it.</summary>
    private delegate void RowChange(ref Row row);

    private Task Settle(string pixelKey, IReadOnlyList<long> seqs, RowChange change)
    {
        lock (_lock)
        {
            var rows = Rows(pixelKey);
            var index = _seqs[pixelKey];
            foreach (var seq in seqs)
            {
                ref var row = ref RowAt(rows, index, seq);
                if (!Unsafe.IsNullRef(ref row) && row.Status == EventStatuses.Accepted)
                {
                    change(ref row);
                    Settled(pixelKey, row.Seq, row.Status);
                }
            }
            ForgetOldestSettled();
            return Task.CompletedTask;
        }
    }

    private Dictionary<(string, string), Row> Rows(string pixelKey)
    {
        if (!_pixels.TryGetValue(pixelKey, out var rows))
        {
            _pixels[pixelKey] = rows = [];
            _seqs[pixelKey] = [];
        }
        return rows;
    }

    private void Settled(string pixelKey, long seq, string status)
    {
        if (status is EventStatuses.Delivered or EventStatuses.Skipped)
        {
            _settled.Enqueue((pixelKey, seq));
        }
    }

    private void ForgetOldestSettled()
    {
        while (_settled.Count > maxSettled)
        {
            var (pixelKey, seq) = _settled.Dequeue();
            if (!_seqs.TryGetValue(pixelKey, out var index))
            {
                continue;
            }
            var rows = _pixels[pixelKey];
            ref var row = ref RowAt(rows, index, seq);
            if (!Unsafe.IsNullRef(ref row) && row.Seq == seq && row.Status is EventStatuses.Delivered or EventStatuses.Skipped)
            {
                // The key is read before the removal: the reference is not the row's once it is removed.
                rows.Remove((row.EventName, row.EventId));
                index.Remove(seq);
                Shrink(rows, index);
            }
        }
    }

    /// <summary>
    /// Gives back most of a pixel's tables once they hold a quarter of what they have room for: a dictionary never
    /// shrinks by itself, and after a backlog has drained its arrays would stay as large as the backlog was.
    /// </summary>
    private static void Shrink(Dictionary<(string, string), Row> rows, Dictionary<long, (string, string)> index)
    {
        if (rows.Capacity > 1024 && rows.Count < rows.Capacity / 4)
        {
            rows.TrimExcess();
        }
        if (index.Capacity > 1024 && index.Count < index.Capacity / 4)
        {
            index.TrimExcess();
        }
    }

    /// <summary>
    /// The sequence numbers of the pixel's rows that match, in order (the newest first if asked), at most
    /// <paramref name="limit"/>: only the numbers are gathered and sorted, never copies of the rows, which are values
    /// of some two hundred bytes.
    /// </summary>
    private static List<long> Seqs(Dictionary<(string, string), Row> rows, Func<Row, bool> match, int limit = int.MaxValue, bool newestFirst = false)
    {
        var seqs = new List<long>();
        foreach (var row in rows.Values)
        {
            if (match(row))
            {
                seqs.Add(row.Seq);
            }
        }
        seqs.Sort();
        if (newestFirst)
        {
            seqs.Reverse();
        }
        if (seqs.Count > limit)
        {
            seqs.RemoveRange(limit, seqs.Count - limit);
        }
        return seqs;
    }

    /// <summary>What <paramref name="map"/> makes of each of the pixel's rows with these sequence numbers, in their order, through the index: a lookup costs its own events, not the pixel's history.</summary>
    private List<T> Select<T>(string pixelKey, IReadOnlyList<long> seqs, Func<Row, T> map)
    {
        var rows = Rows(pixelKey);
        var index = _seqs[pixelKey];
        var found = new List<T>(seqs.Count);
        foreach (var seq in seqs)
        {
            ref var row = ref RowAt(rows, index, seq);
            if (!Unsafe.IsNullRef(ref row))
            {
                found.Add(map(row));
            }
        }
        return found;
    }

    /// <summary>The row with this sequence number where the pixel's table keeps it, or a null reference.</summary>
    private static ref Row RowAt(Dictionary<(string, string), Row> rows, Dictionary<long, (string, string)> index, long seq)
        => ref index.TryGetValue(seq, out var key) ? ref CollectionsMarshal.GetValueRefOrNullRef(rows, key) : ref Unsafe.NullRef<Row>();

    /// <summary>
    /// One stored event, kept in its pixel's table as a value and changed there in place under the store's lock as it
    /// settles. A value rather than an object of its own: the store keeps up to 100,000 settled events, every one of them
    /// survives the collections between its acceptance and its eviction, and each object they hold is one more for
    /// every collection to mark and copy (docs/BENCHMARKS.md, forty-fifth pass). What a row still holds is its
    /// payload and its event id; the trace id is kept as its 16 bytes.
    /// </summary>
    private struct Row(long seq, NewEvent e, DateTimeOffset acceptedAt)
    {
        public readonly long Seq = seq;
        public readonly string EventName = e.EventName;
        public readonly string EventId = e.EventId;
        public readonly string EventSource = e.EventSource;
        public readonly string? TestEventCode = e.TestEventCode;
        public readonly TrackEventJson Payload = e.Payload;
        public readonly string? Reason = e.Reason;
        public readonly PackedTraceId TraceId = PackedTraceId.Of(e.TraceId);
        public readonly DateTimeOffset AcceptedAt = acceptedAt;
        public string Status = e.Status;
        public DateTimeOffset? DeliveredAt;
        public DateTimeOffset? FailedAt;
        public string? RequestId;
        public int? Code;
        public string? Message;
        public int Attempts;
        public int Replays;

        public readonly EventRecord Record() => new(EventName, EventId, EventSource, Status, Reason, AcceptedAt, DeliveredAt, FailedAt, RequestId, Code, Message, Attempts, TraceId.Text);
    }

    public Task<IReadOnlyList<DeliveredCount>> CountDeliveredByDayAsync(string pixelKey, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<DeliveredCount> counts = [.. Rows(pixelKey).Values
                .Where(r => r.Status == EventStatuses.Delivered && r.TestEventCode is null)
                .Select(r => (Day: DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(r.Payload.EventTime).UtcDateTime), r.EventName))
                .Where(e => e.Day >= from && e.Day <= to)
                .GroupBy(e => e)
                .Select(g => new DeliveredCount(g.Key.Day, g.Key.EventName, g.Count()))];
            return Task.FromResult(counts);
        }
    }

    public Task<IReadOnlyList<MatchKeyCounts>> CountMatchKeysAsync(string pixelKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The payloads are read as objects outside the lock: reading thousands of them would hold up every append.
        List<(string EventName, TrackEventJson Payload)> kept;
        lock (_lock)
        {
            kept = [.. Rows(pixelKey).Values
                .Where(r => r.Status != EventStatuses.Skipped && r.AcceptedAt >= from && r.AcceptedAt < to)
                .Select(r => (r.EventName, r.Payload))];
        }
        IReadOnlyList<MatchKeyCounts> counts = [.. kept
            .GroupBy(r => r.EventName, StringComparer.Ordinal)
            .Select(g => MatchKeys.Count(g.Key, g.Select(r => r.Payload.Read())))];
        return Task.FromResult(counts);
    }
}
