using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>
/// One pixel: events are in PostgreSQL before the caller hears "accepted", mirrored in memory, and sent
/// in batches of up to 1,000 within the pixel's budget. A short timer flushes; a durable reminder brings
/// the grain back after a crash while events wait.
/// </summary>
public sealed partial class PixelGrain(
    [PersistentState("pixel", GrainStorage.Name)] IPersistentState<PixelState> state,
    IEventStore store,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IOptions<PixelOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<PixelGrain> logger) : Grain, IPixelGrain, IRemindable
{
    private string GrainKey => this.GetPrimaryKeyString();

    private const string ReminderName = "flush";
    private readonly PixelOptions _options = options.Value;
    private readonly List<BufferedEvent> _buffer = [];
    private DedupWindow _recent = null!;

    // Duplicates since the last state write; folded into state.Duplicates when the state is next written.
    private long _newDuplicates;
    private RateBudget _budget = null!;
    private bool _moreInStore;
    private WakeUp? _flush;

    private string OrganizerId => GrainKey[..GrainKey.IndexOf('/', StringComparison.Ordinal)];
    private string PixelId => GrainKey[(GrainKey.IndexOf('/', StringComparison.Ordinal) + 1)..];
    private ConnectionSecret? Connection => state.State.Connection;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _budget = NewBudget();
        _recent = new DedupWindow(_options.DedupWindow, capacity: 50_000);
        await ReloadAsync(cancellationToken);
        if (_buffer.Count > 0)
        {
            ArmFlush(TimeSpan.Zero);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A last flush (a stopping node hands over cleanly); whatever is left stays durable, and the
        // reminder wakes the grain wherever it lives next.
        if (_buffer.Count > 0)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task ConfigureAsync(ConnectionSecret connection)
    {
        var limitsChanged = Connection?.Connection.Limits != connection.Connection.Limits;
        state.State = state.State with { Connection = connection };
        await state.WriteStateAsync();
        if (limitsChanged)
        {
            _budget = NewBudget();
        }
        if (_buffer.Count > 0)
        {
            ArmFlush(TimeSpan.Zero);
        }
    }

    public async Task<IReadOnlyList<EventOutcome>> AcceptAsync(IReadOnlyList<PixelEvent> events)
    {
        if (Connection is null)
        {
            return [.. events.Select(e => new EventOutcome(e.EventId, EventStatuses.Rejected, TikTokCodes.NoPermission, "The pixel is not connected."))];
        }
        var now = time.GetUtcNow();
        // Within one request the first copy of a pair counts; the store decides against earlier requests.
        var outcomes = new EventOutcome[events.Count];
        var first = new Dictionary<(string, string), int>();
        var unique = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (!first.TryAdd((events[i].EventName, events[i].EventId), i))
            {
                outcomes[i] = new EventOutcome(events[i].EventId, EventStatuses.Duplicate, 0, "Duplicate: the same event appears earlier in this request.");
            }
            else if (_recent.Contains(events[i].EventName, events[i].EventId, now))
            {
                // A retry of something this activation just stored: answered without a database round trip.
                outcomes[i] = DuplicateOf(events[i]);
            }
            else
            {
                unique.Add(i);
            }
        }
        var toStore = unique.Select(i => events[i]).Select(e => new NewEvent(e.EventName, e.EventId, e.EventSource, null, e.Payload.ToTrackEvent(),
            e.SkipReason is null ? EventStatuses.Accepted : EventStatuses.Skipped, e.SkipReason, e.TraceId)).ToList();
        var seqs = await store.AppendAsync(GrainKey, toStore, now, _options.DedupWindow, CancellationToken.None);
        for (var j = 0; j < unique.Count; j++)
        {
            var e = events[unique[j]];
            _recent.TryAdd(e.EventName, e.EventId, now);
            outcomes[unique[j]] = (seqs[j], e.SkipReason) switch
            {
                (null, _) => DuplicateOf(e),
                (_, { } reason) => new EventOutcome(e.EventId, EventStatuses.Skipped, 0, $"Skipped: {reason}."),
                ({ } seq, null) => Buffer(new BufferedEvent(seq, e.EventName, e.EventId, e.EventSource, null, e.Payload.ToTrackEvent(), now)),
            };
        }
        foreach (var group in outcomes.GroupBy(o => o.Status))
        {
            metrics.Received(group.Key, group.Count());
        }
        _newDuplicates += outcomes.Count(o => o.Status == EventStatuses.Duplicate);
        if (_buffer.Count > 0)
        {
            ArmFlush(_buffer.Count >= BatchPlanner.MaxBatch ? TimeSpan.Zero : _options.FlushInterval);
            await EnsureReminderAsync(true);
        }
        return outcomes;
    }

    public async Task<EventOutcome> SendTestAsync(PixelEvent pixelEvent)
    {
        if (Connection is not { } connection)
        {
            return new EventOutcome(pixelEvent.EventId, EventStatuses.Rejected, TikTokCodes.NoPermission, "The pixel is not connected.");
        }
        var now = time.GetUtcNow();
        var code = connection.Connection.TestEventCode;
        var stored = await store.AppendAsync(GrainKey, [new NewEvent(pixelEvent.EventName, pixelEvent.EventId, pixelEvent.EventSource, code, pixelEvent.Payload.ToTrackEvent(), EventStatuses.Accepted, "test", pixelEvent.TraceId)], now, TimeSpan.Zero, CancellationToken.None);
        var seq = stored[0]!.Value;
        var response = await tiktok.TrackEventsAsync(protector.Unprotect(connection.ProtectedToken, OrganizerId), Request([pixelEvent.Payload.ToTrackEvent()], pixelEvent.EventSource, code), CancellationToken.None);
        if (response.IsSuccess)
        {
            await store.MarkDeliveredAsync(GrainKey, [seq], response.RequestId, now, CancellationToken.None);
        }
        else if (response.Outcome is TikTokOutcome.InvalidRequest or TikTokOutcome.Authorization)
        {
            await store.MarkFailedAsync(GrainKey, [seq], response.Code, response.Message, now, CancellationToken.None);
        }
        else
        {
            // TikTok is away: the test event waits in the buffer like any other.
            Buffer(new BufferedEvent(seq, pixelEvent.EventName, pixelEvent.EventId, pixelEvent.EventSource, code, pixelEvent.Payload.ToTrackEvent(), now));
            ArmFlush(_options.FlushInterval);
            await EnsureReminderAsync(true);
        }
        return new EventOutcome(pixelEvent.EventId, response.IsSuccess ? EventStatuses.Delivered : EventStatuses.Failed, response.Code, response.Message, response.RequestId);
    }

    public async Task<IReadOnlyList<EventStatusView>> GetEventAsync(string eventId)
        => [.. (await store.FindAsync(GrainKey, eventId, CancellationToken.None)).Select(ToView)];

    public async Task<IReadOnlyList<EventStatusView>> GetLatestAsync(int limit)
        => [.. (await store.LatestAsync(GrainKey, Math.Clamp(limit, 1, 1000), CancellationToken.None)).Select(ToView)];

    public async Task<PixelStatusView> GetStatusAsync()
    {
        var counts = new Dictionary<string, long>(await store.CountByStatusAsync(GrainKey, CancellationToken.None), StringComparer.Ordinal)
        {
            [EventStatuses.Duplicate] = state.State.Duplicates + _newDuplicates,
        };
        var now = time.GetUtcNow();
        return new PixelStatusView(
            PixelId, Connection is not null, (int)counts.GetValueOrDefault(EventStatuses.Accepted), _budget.EventsLeftToday(now),
            _budget.EventsPerDay, _budget.RequestsPerSecond, state.State.LastFlushAt, state.State.LastError, state.State.LastEventSent,
            _budget.BackoffUntil is { } until && until > now ? until : null, counts, GrainContext.Address.SiloAddress!.Endpoint.ToString());
    }

    public async Task<DisconnectResult> DisconnectAsync()
    {
        var flushed = 0;
        if (_buffer.Count > 0 && Connection is not null)
        {
            var before = _buffer.Count;
            await FlushAsync(CancellationToken.None);
            flushed = before - _buffer.Count;
        }
        var undelivered = _buffer.Count;
        if (undelivered > 0)
        {
            await store.MarkFailedAsync(GrainKey, [.. _buffer.Select(e => e.Seq)], TikTokCodes.NoPermission, "The pixel was disconnected before the event could be delivered.", time.GetUtcNow(), CancellationToken.None);
            _buffer.Clear();
        }
        Flush.Disarm();
        state.State = state.State with { Connection = null };
        await state.WriteStateAsync();
        await EnsureReminderAsync(false);
        var message = undelivered == 0
            ? $"Disconnected; {flushed} buffered event(s) were delivered first."
            : $"Disconnected; {flushed} buffered event(s) were delivered first and {undelivered} could not be (budget or TikTok) and are marked failed.";
        return new DisconnectResult(DisconnectOutcome.Disconnected, flushed, undelivered, message);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_buffer.Count == 0 && !_moreInStore)
        {
            await EnsureReminderAsync(false);
            return;
        }
        await FlushAsync(CancellationToken.None);
    }

    private EventOutcome DuplicateOf(PixelEvent e)
        => new(e.EventId, EventStatuses.Duplicate, 0, $"Duplicate: {e.EventName} {e.EventId} was already accepted within {_options.DedupWindow.TotalHours:0} h; it is not sent again.");

    private EventOutcome Buffer(BufferedEvent item)
    {
        if (_buffer.Count < _options.MaxBufferedInMemory)
        {
            _buffer.Add(item);
        }
        else
        {
            _moreInStore = true;
        }
        return new EventOutcome(item.EventId, EventStatuses.Accepted, 0, "Accepted: stored and queued for TikTok.");
    }

    private TrackRequest Request(IReadOnlyList<TrackEvent> data, string eventSource, string? testEventCode) => new()
    {
        EventSource = eventSource,
        EventSourceId = PixelId,
        Data = data,
        TestEventCode = testEventCode,
        PartnerName = tiktok.PartnerName,
    };

    private RateBudget NewBudget()
    {
        var limits = Connection?.Connection.Limits ?? new RateLimits();
        var budget = new RateBudget(limits.RequestsPerSecond, limits.EventsPerDay, _options.RequestWindow);
        budget.Restore(state.State.BudgetDay, state.State.SentToday, state.State.BackoffUntil);
        return budget;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        _buffer.Clear();
        _buffer.AddRange(await store.LoadPendingAsync(GrainKey, _options.MaxBufferedInMemory, cancellationToken));
        _moreInStore = _buffer.Count >= _options.MaxBufferedInMemory;
    }

    private static EventStatusView ToView(EventRecord r)
        => new(r.EventId, r.EventName, r.EventSource, r.Status, r.Reason, r.AcceptedAt, r.DeliveredAt, r.FailedAt, r.RequestId, r.Code, r.Message, r.Attempts, r.TraceId);
}
