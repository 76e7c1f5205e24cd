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
                if (rows.TryGetValue((e.EventName, e.EventId), out var existing) && now - existing.Record.AcceptedAt < dedupWindow)
                {
                    continue;
                }
                if (existing is not null)
                {
                    _seqs[pixelKey].Remove(existing.Seq);
                }
                var seq = ++_seq;
                rows[(e.EventName, e.EventId)] = new Row(seq, e, new EventRecord(e.EventName, e.EventId, e.EventSource, e.Status, e.Reason, now, null, null, null, null, null, 0, e.TraceId));
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
            IReadOnlyList<BufferedEvent> pending = [.. Rows(pixelKey).Values.Where(r => r.Record.Status == EventStatuses.Accepted).OrderBy(r => r.Seq).Take(limit)
                .Select(r => new BufferedEvent(r.Seq, r.Event.EventName, r.Event.EventId, r.Event.EventSource, r.Event.TestEventCode, r.Event.Payload, r.Record.AcceptedAt))];
            return Task.FromResult(pending);
        }
    }

    public async Task MarkDeliveredAsync(string pixelKey, SentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await RecordRequestAsync(pixelKey, request, cancellationToken);
        await Settle(pixelKey, request.Seqs, r => r with { Status = EventStatuses.Delivered, DeliveredAt = now, RequestId = request.RequestId, Code = 0, Message = "OK", Attempts = r.Attempts + 1 });
    }

    public Task MarkFailedAsync(string pixelKey, IReadOnlyList<long> seqs, int code, string message, string? requestId, DateTimeOffset now, CancellationToken cancellationToken)
        => Settle(pixelKey, seqs, r => r with { Status = EventStatuses.Failed, FailedAt = now, Code = code, Message = message, RequestId = requestId, Attempts = r.Attempts + 1 });

    public Task<IReadOnlyList<EventRecord>> FindAsync(string pixelKey, string eventId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<EventRecord> found = [.. Rows(pixelKey).Values.Where(r => r.Event.EventId == eventId).OrderBy(r => r.Seq).Select(r => r.Record)];
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<EventRecord>> LatestAsync(string pixelKey, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<EventRecord> latest = [.. Rows(pixelKey).Values.OrderByDescending(r => r.Seq).Take(limit).Select(r => r.Record)];
            return Task.FromResult(latest);
        }
    }

    public Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string pixelKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<string, long> counts = Rows(pixelKey).Values.GroupBy(r => r.Record.Status).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            return Task.FromResult(counts);
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var purged = 0;
            foreach (var (pixelKey, rows) in _pixels)
            {
                foreach (var (key, row) in rows.Where(p => Expired(p.Value.Record, olderThan, deadLettersOlderThan)).ToList())
                {
                    rows.Remove(key);
                    _seqs[pixelKey].Remove(row.Seq);
                    purged++;
                }
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
            IReadOnlyList<DeadLetter> letters = [.. Rows(pixelKey).Values
                .Where(r => r.Record.Status == EventStatuses.Failed
                    && (query.Code is null || r.Record.Code == query.Code)
                    && (query.EventName is null || r.Event.EventName == query.EventName)
                    && (query.From is null || r.Record.FailedAt >= query.From)
                    && (query.To is null || r.Record.FailedAt < query.To)
                    && (ids is null || ids.Contains(r.Event.EventId))
                    && (query.BeforeSeq is null || r.Seq < query.BeforeSeq))
                .OrderByDescending(r => r.Seq)
                .Take(query.Limit)
                .Select(r => new DeadLetter(r.Seq, r.Event.EventName, r.Event.EventId, r.Event.EventSource, r.Event.TestEventCode,
                    r.Record.Code ?? 0, r.Record.Message ?? "", r.Record.RequestId, r.Record.AcceptedAt, r.Record.FailedAt!.Value, r.Record.Attempts, r.Replays, r.Event.Payload))];
            return Task.FromResult(letters);
        }
    }

    public Task<IReadOnlyList<BufferedEvent>> ReviveAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var rows = Rows(pixelKey);
            var revived = new List<BufferedEvent>();
            foreach (var (key, row) in Find(pixelKey, seqs).Where(p => p.Row.Record.Status == EventStatuses.Failed).OrderBy(p => p.Row.Seq))
            {
                rows[key] = row with
                {
                    Replays = row.Replays + 1,
                    Record = row.Record with { Status = EventStatuses.Accepted, FailedAt = null, Code = null, Message = null, RequestId = null },
                };
                revived.Add(new BufferedEvent(row.Seq, row.Event.EventName, row.Event.EventId, row.Event.EventSource, row.Event.TestEventCode, row.Event.Payload, row.Record.AcceptedAt));
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
                var pixel = signals[key] = new RequestSignals { Waiting = _pixels.TryGetValue(key, out var rows) && rows.Values.Any(r => r.Record.Status == EventStatuses.Accepted) };
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

    public Task<IReadOnlyDictionary<long, TrackEvent>> PayloadsAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<long, TrackEvent> payloads = Find(pixelKey, seqs).ToDictionary(p => p.Row.Seq, p => p.Row.Event.Payload);
            return Task.FromResult(payloads);
        }
    }

    private static bool Expired(EventRecord record, DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan) => record.Status switch
    {
        EventStatuses.Accepted => false,
        EventStatuses.Failed => record.FailedAt < deadLettersOlderThan,
        _ => record.AcceptedAt < olderThan,
    };

    private Task Settle(string pixelKey, IReadOnlyList<long> seqs, Func<EventRecord, EventRecord> change)
    {
        lock (_lock)
        {
            var rows = Rows(pixelKey);
            foreach (var (key, row) in Find(pixelKey, seqs))
            {
                if (row.Record.Status == EventStatuses.Accepted)
                {
                    var record = change(row.Record);
                    rows[key] = row with { Record = record };
                    Settled(pixelKey, row.Seq, record.Status);
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
            if (_seqs.TryGetValue(pixelKey, out var index) && index.TryGetValue(seq, out var key)
                && _pixels[pixelKey].TryGetValue(key, out var row) && row.Seq == seq
                && row.Record.Status is EventStatuses.Delivered or EventStatuses.Skipped)
            {
                _pixels[pixelKey].Remove(key);
                index.Remove(seq);
            }
        }
    }

    /// <summary>The pixel's rows with these sequence numbers, through the index: a settle costs its own events, not the pixel's history.</summary>
    private List<((string, string) Key, Row Row)> Find(string pixelKey, IReadOnlyList<long> seqs)
    {
        var rows = Rows(pixelKey);
        var index = _seqs[pixelKey];
        var found = new List<((string, string), Row)>(seqs.Count);
        foreach (var seq in seqs)
        {
            if (index.TryGetValue(seq, out var key) && rows.TryGetValue(key, out var row))
            {
                found.Add((key, row));
            }
        }
        return found;
    }

    private sealed record Row(long Seq, NewEvent Event, EventRecord Record, int Replays = 0);

    public Task<IReadOnlyList<DeliveredCount>> CountDeliveredByDayAsync(string pixelKey, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<DeliveredCount> counts = [.. Rows(pixelKey).Values
                .Where(r => r.Record.Status == EventStatuses.Delivered && r.Event.TestEventCode is null)
                .Select(r => (Day: DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(r.Event.Payload.EventTime).UtcDateTime), r.Event.EventName))
                .Where(e => e.Day >= from && e.Day <= to)
                .GroupBy(e => e)
                .Select(g => new DeliveredCount(g.Key.Day, g.Key.EventName, g.Count()))];
            return Task.FromResult(counts);
        }
    }

    public Task<IReadOnlyList<MatchKeyCounts>> CountMatchKeysAsync(string pixelKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<MatchKeyCounts> counts = [.. Rows(pixelKey).Values
                .Where(r => r.Record.Status != EventStatuses.Skipped && r.Record.AcceptedAt >= from && r.Record.AcceptedAt < to)
                .GroupBy(r => r.Event.EventName, StringComparer.Ordinal)
                .Select(g => MatchKeys.Count(g.Key, g.Select(r => r.Event.Payload)))];
            return Task.FromResult(counts);
        }
    }
}
