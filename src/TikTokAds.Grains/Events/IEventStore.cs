using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Assurance;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>The durable buffer and delivery record of a pixel's events (pixel_events, or memory in the embedded default).</summary>
public interface IEventStore
{
    /// <summary>
    /// Stores the events in one transaction, and records the buyer facts segments read from them; both are done
    /// when the task completes. For each event, the sequence number it got, or null when the same (event, event_id)
    /// was stored within <paramref name="dedupWindow"/>. Inputs must not repeat a pair. A fact already recorded
    /// is kept as it is, so a retry after a failure records what the failed call may have left out.
    /// </summary>
    Task<IReadOnlyList<long?>> AppendAsync(string pixelKey, IReadOnlyList<NewEvent> events, IReadOnlyList<Segments.BuyerFact> facts, DateTimeOffset now, TimeSpan dedupWindow, CancellationToken cancellationToken);

    /// <summary>Events still waiting for TikTok, oldest first.</summary>
    Task<IReadOnlyList<BufferedEvent>> LoadPendingAsync(string pixelKey, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a request TikTok accepted and settles its events (<see cref="SentRequest.Seqs"/>) as delivered, in one
    /// transaction (one round trip on PostgreSQL).
    /// </summary>
    Task MarkDeliveredAsync(string pixelKey, SentRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Settles the events as dead letters, with TikTok's code, message and request_id.</summary>
    Task MarkFailedAsync(string pixelKey, IReadOnlyList<long> seqs, int code, string message, string? requestId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<EventRecord>> FindAsync(string pixelKey, string eventId, CancellationToken cancellationToken);

    Task<IReadOnlyList<EventRecord>> LatestAsync(string pixelKey, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string pixelKey, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets delivered and skipped events accepted before <paramref name="olderThan"/>, dead letters that failed
    /// before <paramref name="deadLettersOlderThan"/>, and request records sent before <paramref name="olderThan"/>.
    /// Waiting events are never purged.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan, CancellationToken cancellationToken);

    /// <summary>Dead letters, newest first.</summary>
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string pixelKey, DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>Turns these dead letters back into waiting events (same event_id and payload) and returns them.</summary>
    Task<IReadOnlyList<BufferedEvent>> ReviveAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken);

    Task RecordRequestAsync(string pixelKey, SentRequest request, CancellationToken cancellationToken);

    /// <summary>Requests sent for the pixel, newest first.</summary>
    Task<IReadOnlyList<SentRequest>> RequestsAsync(string pixelKey, RequestLogQuery query, CancellationToken cancellationToken);

    /// <summary>Events TikTok confirmed for the pixel in requests sent from <paramref name="hour"/> (a whole UTC hour) on.</summary>
    Task<long> DeliveredSinceAsync(string pixelKey, DateTimeOffset hour, CancellationToken cancellationToken);

    /// <summary>
    /// For an organizer's alerts, each of these pixels' requests since <paramref name="windowStart"/> by outcome, the
    /// events TikTok confirmed since <paramref name="historyStart"/> by UTC hour, and whether any event waits.
    /// </summary>
    Task<IReadOnlyDictionary<string, RequestSignals>> RequestSignalsAsync(IReadOnlyList<string> pixelKeys, DateTimeOffset windowStart, DateTimeOffset historyStart, CancellationToken cancellationToken);

    /// <summary>The stored payloads of these rows (those still kept), by seq.</summary>
    Task<IReadOnlyDictionary<long, TrackEventJson>> PayloadsAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken);

    /// <summary>
    /// Reconciliation: delivered events without a test_event_code, counted per event name and UTC day of
    /// their event_time, for days <paramref name="from"/> to <paramref name="to"/>.
    /// </summary>
    Task<IReadOnlyList<DeliveredCount>> CountDeliveredByDayAsync(string pixelKey, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>Match quality: events stored to be sent (not skipped) with accepted_at in [from, to), and how many carry each match key, per event name.</summary>
    Task<IReadOnlyList<MatchKeyCounts>> CountMatchKeysAsync(string pixelKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>An event to store: hashed payload, and whether it is to be sent ('accepted') or kept back ('skipped').</summary>
public sealed record NewEvent(string EventName, string EventId, string EventSource, string? TestEventCode, TrackEventJson Payload, string Status, string? Reason, string? TraceId = null);

public sealed record EventRecord(
    string EventName,
    string EventId,
    string EventSource,
    string Status,
    string? Reason,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt,
    string? RequestId,
    int? Code,
    string? Message,
    int Attempts,
    string? TraceId = null)
{
    public EventStatusView ToView() => new(EventId, EventName, EventSource, Status, Reason, AcceptedAt, DeliveredAt, FailedAt, RequestId, Code, Message, Attempts, TraceId);
}
