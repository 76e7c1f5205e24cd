using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

/// <summary>
/// One pixel: events are in the store before the caller hears "accepted", mirrored in memory, and sent in
/// batches of up to 1,000 within the pixel's budget. A short timer flushes; a durable reminder exists
/// while events wait (and for a quiet spell after the last delivery), to bring the grain back after a crash.
/// Placed by hash, so pixels spread over nodes.
/// </summary>
/// <remarks>
/// The timer's flush interleaves with the grain's calls: while it waits for TikTok, the pixel stores and buffers
/// new events, so ingestion never waits for TikTok's round trips. Everything else that sends, or changes what a
/// flush reads (connection, budget), runs in <see cref="AfterFlushesAsync"/>, one at a time with the flushes; state
/// writes and the reminder switch go through <see cref="ExclusivelyAsync"/>, so an event's "reminder on" and a
/// flush's "reminder off" or state write never cross. Accepts interleave with each other and with every call
/// (<see cref="IPixelGrain.AcceptAsync"/>); a disconnect runs apart from them (<see cref="AfterFlushesApartAsync{T}"/>).
/// </remarks>
[Orleans.Placement.HashBasedPlacement]
public sealed class PixelGrain(
    [PersistentState("pixel", GrainStorage.Name)] IPersistentState<PixelState> state,
    IEventStore store,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IOptions<PixelOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<PixelGrain> logger) : Grain, IPixelGrain, IRemindable
{
    private readonly PixelOptions _options = options.Value;
    private PixelBuffer _buffer = null!;
    private PixelIntake _intake = null!;
    private PixelSender _sender = null!;
    private RateBudget _budget = null!;
    private WakeUp _flush = null!;
    private ActivationReminder _reminder = null!;
    /// <summary>Purchases accepted since the last flush, told to the organizer's lead conversions then, in one call.</summary>
    private List<Contracts.Leads.LeadPurchase> _purchases = [];
    private DateTimeOffset? _forgetRecentAt;
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private Task _flushes = Task.CompletedTask;
    /// <summary>Accepts under way (they interleave), and what a call apart from them waits on until none is left.</summary>
    private int _accepts;
    private TaskCompletionSource? _acceptsDone;
    /// <summary>The last call run apart from accepts (<see cref="AfterFlushesApartAsync{T}"/>): accepts wait while it runs.</summary>
    private Task _apart = Task.CompletedTask;
    /// <summary>Since when the state holds a delivery not yet written; null while everything is written.</summary>
    private DateTimeOffset? _unwrittenSince;

    private string Key => this.GetPrimaryKeyString();
    private (string OrganizerId, string Id) Ids => GrainKeys.Split(Key);
    private ConnectionSecret? Connection => state.State.Connection;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _buffer = new PixelBuffer(store, Key, _options.MaxBufferedInMemory);
        _intake = new PixelIntake(store, _buffer, _options.DedupWindow, metrics);
        _sender = new PixelSender(store, (request, ct) => tiktok.TrackEventsAsync(protector.Unprotect(Connection!.ProtectedToken, Ids.OrganizerId), request, ct), _options, time, metrics, logger);
        if (Connection is not null)
        {
            // Deliveries are not written to the state one by one: if the last activation ended in a crash, those since
            // its last write are counted again from what the store recorded, so the day's budget is never spent twice.
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var delivered = await store.DeliveredSinceAsync(Key, new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), cancellationToken);
            var written = state.State.BudgetDay == today ? state.State.SentToday : 0;
            state.State = state.State with { BudgetDay = today, SentToday = (int)Math.Min(int.MaxValue, Math.Max(written, delivered)) };
        }
        _budget = NewBudget();
        _flush = new WakeUp(time, () => this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true }));
        // Switched under the state gate only (ReminderAsync, DisconnectAsync). Not recorded in the state: an accepted
        // event's reminder is one upsert, not an upsert and a state write.
        _reminder = this.ActivationReminder("flush", () => _options.ReminderPeriod, _options.ReminderPeriod);
        await _buffer.ReloadAsync(cancellationToken);
        if (_buffer.Count > 0)
        {
            _flush.Within(TimeSpan.Zero);
        }
    }

    /// <summary>A last flush, so a stopping node hands over cleanly; what is left stays in the store.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await AfterFlushesAsync(() => _buffer.Count > 0 ? FlushOnceAsync(cancellationToken) : Task.CompletedTask);
        await _sender.Settled;
        // Nothing waits: a reminder kept for a quiet spell must not bring the pixel back only to drop it.
        await ReminderAsync(false);
        TellLeadConversions();
        // Deliveries kept in memory, and duplicates answered since the last flush, are written before the pixel goes.
        var duplicates = _intake.TakeNewDuplicates();
        if (_unwrittenSince is not null || duplicates > 0)
        {
            await ExclusivelyAsync(() => WriteStateAsync(state.State with { Duplicates = state.State.Duplicates + duplicates }, cancellationToken));
        }
    }

    public Task ConfigureAsync(ConnectionSecret connection, CancellationToken cancellationToken = default) => AfterFlushesAsync(async () =>
    {
        var limitsChanged = Connection?.Connection.Limits != connection.Connection.Limits;
        await WriteAsync(s => s with { Connection = connection }, cancellationToken);
        _budget = limitsChanged ? NewBudget() : _budget;
        if (_buffer.Count > 0)
        {
            _flush.Within(TimeSpan.Zero);
        }
    });

    /// <summary>
    /// Interleaves with the pixel's other accepts (IPixelGrain): while one request's events are written, the next is
    /// checked and written beside it (PixelIntake keeps two writes from holding the same event). A disconnect that
    /// has begun (<see cref="AfterFlushesApartAsync{T}"/>) goes first.
    /// </summary>
    public async Task<IReadOnlyList<EventOutcome>> AcceptAsync(IReadOnlyList<PixelEvent> events, CancellationToken cancellationToken = default)
    {
        while (!_apart.IsCompleted)
        {
            await _apart.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }
        _accepts++;
        try
        {
            return await AcceptNowAsync(events, cancellationToken);
        }
        finally
        {
            if (--_accepts == 0)
            {
                _acceptsDone?.TrySetResult();
            }
        }
    }

    private async Task<IReadOnlyList<EventOutcome>> AcceptNowAsync(IReadOnlyList<PixelEvent> events, CancellationToken cancellationToken)
    {
        if (Connection is null)
        {
            return [.. events.Select(e => NotConnected(e.EventId))];
        }
        var outcomes = await _intake.AcceptAsync(Key, events, time.GetUtcNow(), cancellationToken);
        if (Leads.LeadConversions.Purchases(events, outcomes) is { Count: > 0 } purchases)
        {
            // Gathered for the next flush (within FlushInterval): one call per batch rather than per request.
            _purchases.AddRange(purchases);
        }
        if (_buffer.HasWork)
        {
            _flush.Within(_buffer.Count >= BatchPlanner.MaxBatch ? TimeSpan.Zero : _options.FlushInterval);
            await ReminderAsync(true);
        }
        return outcomes;
    }

    public Task<EventOutcome> SendTestAsync(PixelEvent pixelEvent, CancellationToken cancellationToken = default) => AfterFlushesAsync(async () =>
    {
        if (Connection is not { } connection)
        {
            return NotConnected(pixelEvent.EventId);
        }
        var item = await _intake.StoreTestEventAsync(Key, pixelEvent, connection.Connection.TestEventCode, time.GetUtcNow(), cancellationToken);
        var response = await _sender.SendTestAsync(Key, Ids.Id, tiktok.PartnerName, item, _buffer, cancellationToken);
        if (_buffer.Count > 0)
        {
            _flush.Within(_options.FlushInterval);
            await ReminderAsync(true);
        }
        return new EventOutcome(pixelEvent.EventId, response.IsSuccess ? EventStatuses.Delivered : EventStatuses.Failed, response.Code, response.Message, response.RequestId);
    });

    public async Task<IReadOnlyList<EventStatusView>> GetEventAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await _sender.Settled;
        return [.. (await store.FindAsync(Key, eventId, cancellationToken)).Select(r => r.ToView())];
    }

    public async Task<IReadOnlyList<EventStatusView>> GetLatestAsync(int limit, CancellationToken cancellationToken = default)
    {
        await _sender.Settled;
        return [.. (await store.LatestAsync(Key, Math.Clamp(limit, 1, 1000), cancellationToken)).Select(r => r.ToView())];
    }

    public async Task<PixelStatusView> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        // Reads see every answer TikTok gave so far: what it accepted is marked delivered before they count.
        await _sender.Settled;
        var counts = new Dictionary<string, long>(await store.CountByStatusAsync(Key, cancellationToken), StringComparer.Ordinal)
        {
            [EventStatuses.Duplicate] = state.State.Duplicates + _intake.NewDuplicates,
        };
        return state.State.ToStatus(Ids.Id, _budget, counts, time.GetUtcNow(), GrainContext.Address.SiloAddress!.Endpoint.ToString());
    }

    public async Task<IReadOnlyList<DeadLetterView>> GetDeadLettersAsync(DeadLetterQuery query, bool includePayload, CancellationToken cancellationToken = default)
        => [.. (await store.DeadLettersAsync(Key, query, cancellationToken)).Select(d => DeadLetters.View(d, includePayload))];

    /// <summary>
    /// Between flushes: a flush that has just marked a refused event failed, but not yet taken it out of the buffer,
    /// would otherwise take out the revived event with it.
    /// </summary>
    public Task<ReplayResult> ReplayAsync(ReplayRequest request, CancellationToken cancellationToken = default) => AfterFlushesAsync(async () =>
    {
        var letters = await store.DeadLettersAsync(Key, request.Selection, cancellationToken);
        var (replayable, refused) = DeadLetters.Sort(letters, request, time.GetUtcNow());
        var revived = replayable.Count == 0 ? [] : await store.ReviveAsync(Key, [.. replayable.Select(d => d.Seq)], cancellationToken);
        _buffer.Add([.. revived.OrderBy(e => e.Seq)]);
        if (revived.Count > 0)
        {
            _flush.Within(TimeSpan.Zero);
            await ReminderAsync(true);
        }
        return DeadLetters.Result(request.Selection, letters, revived, refused);
    });

    public async Task<IReadOnlyList<RequestLogView>> GetRequestsAsync(RequestLogQuery query, CancellationToken cancellationToken = default)
    {
        await _sender.Settled;
        var requests = await store.RequestsAsync(Key, query, cancellationToken);
        var payloads = query.IncludeBody && requests.Count > 0
            ? await store.PayloadsAsync(Key, [.. requests.SelectMany(r => r.Seqs).Distinct()], cancellationToken)
            : null;
        return [.. requests.Select(r => RequestLog.View(r, Ids.Id, payloads))];
    }

    public Task<Contracts.Alerts.PixelBacklog> GetBacklogAsync()
    {
        DateTimeOffset? oldest = _buffer.Count == 0 ? null : _buffer.Events.Min(e => e.AcceptedAt);
        return Task.FromResult(new Contracts.Alerts.PixelBacklog(Connection is not null, _buffer.Count, oldest, _budget.EventsLeftToday(time.GetUtcNow())));
    }

    public Task<DisconnectResult> DisconnectAsync(CancellationToken cancellationToken = default) => AfterFlushesApartAsync(async () =>
    {
        var waiting = _buffer.Count;
        if (waiting > 0 && Connection is not null)
        {
            await FlushOnceAsync(cancellationToken);
        }
        await _sender.Settled;
        var undelivered = await _sender.GiveUpAsync(Key, _buffer, cancellationToken);
        _flush.Disarm();
        await WriteAsync(s => s with { Connection = null }, cancellationToken);
        // Off even if the store holds more than the buffer did: a disconnected pixel sends nothing.
        await ExclusivelyAsync(_reminder.ForceOffAsync);
        return PixelSender.Disconnected(waiting - undelivered, undelivered);
    });

    /// <summary>
    /// A tick only wakes the timer's flush: the tick is a grain call that does not interleave, so flushing in it would
    /// hold the pixel's intake for as long as TikTok takes to answer. After a crash, activation itself reloads the
    /// store and flushes.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
    {
        _reminder.Ticked();
        _flush.Within(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    // Orleans 10 delivers ticks through the overload with a token; this one only completes the interface.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    /// <summary>The timer's flush, after the flushes (and queued calls) before it.</summary>
    private Task FlushAsync(CancellationToken cancellationToken) => AfterFlushesAsync(() => FlushOnceAsync(cancellationToken));

    /// <summary>
    /// Runs <paramref name="action"/> once the flushes (and actions) queued before it have finished, whether they
    /// succeeded or not; their callers heard of their failures. The timer's flush interleaves with the grain's calls,
    /// so this queue is what keeps two flushes from sending at once and keeps a connection change out of a flush.
    /// </summary>
    private Task AfterFlushesAsync(Func<Task> action) => AfterFlushesAsync(async () =>
    {
        await action();
        return true;
    });

    private Task<T> AfterFlushesAsync<T>(Func<Task<T>> action)
    {
        var run = RunAfterAsync(_flushes, action);
        _flushes = run;
        return run;
    }

    private static async Task<T> RunAfterAsync<T>(Task previous, Func<Task<T>> action)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        return await action();
    }

    /// <summary>
    /// <see cref="AfterFlushesAsync{T}"/>, and apart from accepts: once the flushes before it are done, it waits for the
    /// accepts under way, and accepts that arrive from then on wait for it. Accepts interleave with every call
    /// (IPixelGrain), and Orleans starts any call beside them. A disconnect needs this: an accept that finished after it
    /// gave up the buffer would leave accepted events in a pixel that no longer sends. The other calls may overlap
    /// accepts: a connection change or a token rotation touches nothing an accept reads but the connection itself, and
    /// a test event or a replay adds to the buffer as an accept does.
    /// </summary>
    private Task<T> AfterFlushesApartAsync<T>(Func<Task<T>> action) => AfterFlushesAsync(() =>
    {
        var run = ApartFromAcceptsAsync(action);
        _apart = run;
        return run;
    });

    private async Task<T> ApartFromAcceptsAsync<T>(Func<Task<T>> action)
    {
        while (_accepts > 0)
        {
            _acceptsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await _acceptsDone.Task;
        }
        _acceptsDone = null;
        return await action();
    }

    private async Task FlushOnceAsync(CancellationToken cancellationToken)
    {
        _flush.Disarm();
        TellLeadConversions();
        // A batch gathers many requests' events: the flush gets its own trace, and each event keeps its request's.
        using var trace = Activity.Current is null ? new Activity("pixel.flush").Start() : null;
        var before = state.State;
        // The connection cannot change during the flush (ConfigureAsync waits for it): this is the token sent with.
        var used = Connection;
        var result = used is null ? null : await _sender.FlushAsync(Key, Ids.Id, tiktok.PartnerName, _buffer, _budget, before.LastFlush, cancellationToken);
        if (result?.TokenRejected is { } rejected)
        {
            // Never awaited: organizer grains call pixel grains, so a wait here could deadlock the two. The organizer
            // drops it if a reconnect has replaced the token meanwhile.
            _ = GrainFactory.Organizer(Ids.OrganizerId).ReportTokenRejectedAsync(Ids.Id, used!.ProtectedToken, rejected.Code, rejected.Message);
        }
        if (_buffer.RefillDue)
        {
            // The reload reads what is still 'accepted': requests TikTok took must be marked delivered first. Events
            // accepted meanwhile stay in the store (PixelBuffer.Add), so the buffer is still drained after the wait.
            await _sender.Settled;
            await _buffer.ReloadAsync(cancellationToken);
        }
        var now = time.GetUtcNow();
        if (result is not null && (result.Sent || result.ConsecutiveFailures != before.ConsecutiveFailures))
        {
            // A failure streak that starts or ends (and its back-off) is written at once. A delivery only updates the
            // state in memory, written once a change has waited there StateWriteInterval and on deactivation: pixels
            // that wake together (an on-sale across many organizers) write no state in the burst.
            Func<PixelState, PixelState> change = s => s.After(result, _budget, time.GetUtcNow(), _intake.TakeNewDuplicates());
            var due = result.ConsecutiveFailures != before.ConsecutiveFailures || StateWriteDue(now);
            await (due ? WriteAsync(change, cancellationToken) : ExclusivelyAsync(() => KeepAsync(change)));
        }
        else if (_unwrittenSince is not null && StateWriteDue(now))
        {
            await WriteAsync(s => s with { Duplicates = s.Duplicates + _intake.TakeNewDuplicates() }, cancellationToken);
        }
        now = time.GetUtcNow();
        if (_buffer.HasWork && Connection is not null)
        {
            _flush.Within(_budget.NextSendTime(now) - now);
        }
        else if (_buffer.Count == 0 && IdleLongEnough(result?.Sent == true, now))
        {
            await ReminderAsync(false);
        }
        if (_unwrittenSince is { } since)
        {
            // Every flush disarms the wake-up first: whatever woke this one (a reminder tick, the idle timer), a kept
            // change is written once it has waited the interval, even if the pixel hears nothing more. Armed last, so
            // a busy pixel's earlier next send leaves the timer as it is.
            _flush.Within(since + _options.StateWriteInterval - now);
        }
    }

    private void TellLeadConversions()
    {
        if (_purchases.Count > 0)
        {
            // One-way: a purchase that was a lead's comes back here as a CRM event, so the pixel must not wait.
            _ = GrainFactory.LeadConversions(Ids.OrganizerId).ObservePurchasesAsync(Ids.Id, _purchases);
            _purchases = [];
        }
    }

    /// <summary>
    /// Whether a pixel that delivered everything has heard nothing more for <see cref="PixelOptions.ForgetRecentAfter"/>.
    /// Until then it keeps its flush reminder, so a pixel whose traffic comes and goes does not register and drop the
    /// reminder (four writes) around every flush; its ticks meanwhile find nothing to send. Then it drops the event ids
    /// its intake remembers: thousands of idle pixels must not each hold their last batches' ids. A late retry is still
    /// answered "duplicate", by the store.
    /// </summary>
    private bool IdleLongEnough(bool delivered, DateTimeOffset now)
    {
        if (delivered)
        {
            _forgetRecentAt = now + _options.ForgetRecentAfter;
        }
        if (_forgetRecentAt is not { } due)
        {
            return true;
        }
        if (due > now)
        {
            _flush.Within(due - now);
            return false;
        }
        _intake.ForgetRecent();
        _forgetRecentAt = null;
        return true;
    }

    private RateBudget NewBudget()
    {
        var limits = Connection?.Connection.Limits ?? new RateLimits();
        var budget = new RateBudget(limits.RequestsPerSecond, limits.EventsPerDay, _options.RequestWindow);
        budget.Restore(state.State.BudgetDay, state.State.SentToday, state.State.BackoffUntil);
        return budget;
    }

    /// <summary>A state change, applied to the state as it is once the gate is ours (an interleaved call may have changed it).</summary>
    private Task WriteAsync(Func<PixelState, PixelState> change, CancellationToken cancellationToken)
        => ExclusivelyAsync(() => WriteStateAsync(change(state.State), cancellationToken));

    /// <summary>
    /// Switches the flush reminder on, or off unless events wait: decided under the gate, so that a flush that saw its
    /// buffer empty cannot switch off the reminder of events accepted while it was finishing.
    /// </summary>
    private Task ReminderAsync(bool on) => ExclusivelyAsync(() => _reminder.SetAsync(on || _buffer.HasWork || _buffer.Appending));

    private async Task ExclusivelyAsync(Func<Task> action)
    {
        await _stateGate.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>
    /// A change kept in memory only, until the next write: at the latest the flush <see cref="FlushOnceAsync"/> arms
    /// for <see cref="PixelOptions.StateWriteInterval"/> after the first change the state has not written.
    /// </summary>
    private Task KeepAsync(Func<PixelState, PixelState> change)
    {
        state.State = change(state.State);
        _unwrittenSince ??= time.GetUtcNow();
        return Task.CompletedTask;
    }

    /// <summary>Whether the change kept since <see cref="_unwrittenSince"/>, or one made now if none is kept, has waited long enough.</summary>
    private bool StateWriteDue(DateTimeOffset now) => now - (_unwrittenSince ?? now) >= _options.StateWriteInterval;

    private async Task WriteStateAsync(PixelState next, CancellationToken cancellationToken)
    {
        state.State = next;
        await state.WriteStateAsync(cancellationToken);
        _unwrittenSince = null;
    }

    private static EventOutcome NotConnected(string eventId) => new(eventId, EventStatuses.Rejected, TikTokCodes.NoPermission, "The pixel is not connected.");
}
