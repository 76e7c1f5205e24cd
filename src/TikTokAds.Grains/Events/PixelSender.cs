using System.Text.Json;
using Microsoft.Extensions.Logging;
using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>What one flush did: whether anything was sent, the failure streak, and whether TikTok rejected the token.</summary>
public sealed record FlushResult(bool Sent, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastEventSent, TikTokResponse<JsonElement>? TokenRejected);

/// <summary>
/// Sending a pixel's buffer within its budget, oldest first. Success settles events as delivered; a refusal
/// (4xx codes) is narrowed down to the events TikTok refuses, which become dead letters, while the rest of the
/// batch is sent again. Throttles, token trouble and TikTok outages leave events waiting behind a growing,
/// capped back-off. Every request is recorded for the request inspector.
/// </summary>
public sealed class PixelSender(
    IEventStore store,
    Func<TrackRequest, CancellationToken, Task<TikTokResponse<JsonElement>>> send,
    PixelOptions options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger logger)
{
    private readonly RefusalIsolation _refusals = new();

    /// <summary>
    /// The settles of accepted requests, one after another in the order the answers came: completes once every
    /// accepted request so far is recorded and its events are marked delivered (or the attempt failed, and they wait
    /// in the store to go again). Never throws.
    /// </summary>
    public Task Settled { get; private set; } = Task.CompletedTask;

    public async Task<FlushResult> FlushAsync(string pixelKey, string pixelId, string? partnerName, PixelBuffer buffer, RateBudget budget, FlushResult previous, CancellationToken cancellationToken)
    {
        var (sent, failures, lastError, lastSent) = (false, previous.ConsecutiveFailures, previous.LastError, previous.LastEventSent);
        TikTokResponse<JsonElement>? tokenRejected = null;
        var stopped = false;
        // Up to RequestsInFlight requests go at once, each with its own events and its own slot of the budget.
        // Settling an accepted request (recording it, marking its events delivered) overlaps the requests still in
        // flight and outlasts the flush: the grain takes new events while the database marks the last ones delivered.
        // Settles run one after another; see Settled.
        var inFlight = new List<Call>();
        var sending = new HashSet<long>();
        // A flush sends what was buffered when it began. The pixel takes events while the flush waits for TikTok;
        // those go in the next flush, in full batches, and this one ends, writes its state and frees the budget's view.
        var newest = buffer.NewestSeq;
        // The settles of the previous flush finish first: the database never falls more than a flush behind TikTok.
        await Settled;
        try
        {
            while (true)
            {
                while (!stopped && !cancellationToken.IsCancellationRequested && inFlight.Count < options.RequestsInFlight && MayStart(inFlight, failures))
                {
                    var now = time.GetUtcNow();
                    var left = budget.EventsLeftToday(now) - inFlight.Sum(c => c.Batch.Count);
                    var isolating = _refusals.Next is not null;
                    var batch = _refusals.Next ?? BatchPlanner.Next(buffer.Events.Where(e => e.Seq <= newest && !sending.Contains(e.Seq)), left);
                    if (batch.Count == 0 || batch.Count > left || budget.TryTakeRequest(now) is not { } slot)
                    {
                        break;
                    }
                    if (isolating)
                    {
                        _refusals.Taken();
                    }
                    sending.UnionWith(batch.Select(e => e.Seq));
                    inFlight.Add(new Call(batch, slot, isolating, SendAsync(pixelId, partnerName, batch, slot, cancellationToken)));
                }
                if (inFlight.Count == 0)
                {
                    break;
                }
                var done = await Task.WhenAny(inFlight.Select(c => c.Sending));
                var call = inFlight.Find(c => c.Sending == done)!;
                inFlight.Remove(call);
                sending.ExceptWith(call.Batch.Select(e => e.Seq));
                var (response, record) = await done;
                sent = true;
                if (response.IsSuccess)
                {
                    metrics.Delivered(call.Batch.Count);
                    buffer.Remove(call.Batch);
                    budget.RecordSent(call.Batch.Count, call.Slot.TakenAt);
                    Settled = SettleAsync(Settled, pixelKey, record, call.Batch.Count, buffer);
                    (lastSent, failures, lastError) = (time.GetUtcNow(), 0, null);
                    continue;
                }
                // Request records stay in the order the answers came.
                await Settled;
                await store.RecordRequestAsync(pixelKey, record, cancellationToken);
                lastError = $"TikTok {response.Code}: {response.Message}";
                PixelLog.DeliveryProblem(logger, pixelKey, call.Batch.Count, response.Outcome, response.Code, response.RequestId);
                if (response.Outcome == TikTokOutcome.InvalidRequest)
                {
                    await SetAsideRefusedAsync(pixelKey, call.Batch, response, buffer, cancellationToken);
                    continue;
                }
                // A throttle, an outage or token trouble: nothing more goes in this flush; what is in flight comes back
                // first. Requests that fail together are one failure of the streak, and set one back-off.
                if (!stopped)
                {
                    failures++;
                    budget.BackOff(call.Slot.TakenAt + Backoff(response.Outcome, failures));
                    stopped = true;
                }
                tokenRejected ??= response.RequiresReauthorisation ? response : null;
            }
            return new FlushResult(sent, failures, lastError, lastSent, tokenRejected);
        }
        finally
        {
            // Only when the flush failed are requests still out: wait for them (their slots close on their answers);
            // whatever they carried is still in the buffer and goes again.
            await ((Task)Task.WhenAll(inFlight.Select(c => c.Sending))).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// One request at a time while TikTok has been failing (until one gets through: a first request after an outage
    /// is a probe, as the client's circuit breaker lets one through) and while a refusal is isolated (while its groups
    /// wait or one is in flight nothing else starts, and it starts only once every other request has come back).
    /// </summary>
    private bool MayStart(List<Call> inFlight, int failures)
        => inFlight.Count == 0 || (failures == 0 && _refusals.Next is null && !inFlight.Exists(c => c.Isolating));

    /// <summary>
    /// TikTok refuses the request itself: resending it as it is cannot help. A bad event is looked for inside the
    /// batch; what cannot be split further is a dead letter. The rest wait.
    /// </summary>
    private async Task SetAsideRefusedAsync(string pixelKey, IReadOnlyList<BufferedEvent> batch, TikTokResponse<JsonElement> response, PixelBuffer buffer, CancellationToken cancellationToken)
    {
        IReadOnlyList<BufferedEvent> refused = batch;
        if (batch.Count > 1 && RefusalIsolation.IsPerEvent(response.Code))
        {
            refused = _refusals.Split(batch, response.Message) is { } named ? [named] : [];
        }
        if (refused.Count > 0)
        {
            await store.MarkFailedAsync(pixelKey, Seqs(refused), response.Code, response.Message, response.RequestId, time.GetUtcNow(), cancellationToken);
            metrics.Failed(refused.Count);
            buffer.Remove(refused);
        }
    }

    /// <summary>A request on its way: its events, its slot of the budget, whether it isolates a refusal, and the call.</summary>
    private sealed record Call(IReadOnlyList<BufferedEvent> Batch, RequestSlot Slot, bool Isolating, Task<(TikTokResponse<JsonElement> Response, SentRequest Record)> Sending);

    /// <summary>
    /// Records a request TikTok accepted and marks its events delivered, after the settles before it. The events have
    /// already left the buffer; if the store cannot be told, they are still 'accepted' there, so the buffer reloads
    /// them from the store once it drains and sends them again (TikTok drops the repeats by event_id). Never throws:
    /// a failure is logged, and the settles after it still run. Not cancelled with the flush that started it: the
    /// answer is in, and only the store is left to tell.
    /// </summary>
    private async Task SettleAsync(Task previous, string pixelKey, SentRequest record, int count, PixelBuffer buffer)
    {
        await previous;
        try
        {
            await store.MarkDeliveredAsync(pixelKey, record, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception exception)
        {
            PixelLog.SettleFailed(logger, exception, pixelKey, count, record.RequestId);
            buffer.ReloadWhenDrained();
        }
    }

    /// <summary>
    /// Test mode: one event sent at once and alone, with the connection's test_event_code. Delivered and
    /// refused settle it; when TikTok is away it waits in the buffer like any other.
    /// </summary>
    public async Task<TikTokResponse<JsonElement>> SendTestAsync(string pixelKey, string pixelId, string? partnerName, BufferedEvent item, PixelBuffer buffer, CancellationToken cancellationToken)
    {
        var (response, record) = await SendAsync(pixelId, partnerName, [item], null, cancellationToken);
        if (response.IsSuccess)
        {
            await store.MarkDeliveredAsync(pixelKey, record, time.GetUtcNow(), cancellationToken);
            return response;
        }
        await store.RecordRequestAsync(pixelKey, record, cancellationToken);
        if (response.Outcome is TikTokOutcome.InvalidRequest or TikTokOutcome.Authorization)
        {
            await store.MarkFailedAsync(pixelKey, [item.Seq], response.Code, response.Message, response.RequestId, time.GetUtcNow(), cancellationToken);
        }
        else
        {
            buffer.Add(item);
        }
        return response;
    }

    /// <summary>A disconnected pixel cannot send what it still holds: those events are failed, and counted.</summary>
    public async Task<int> GiveUpAsync(string pixelKey, PixelBuffer buffer, CancellationToken cancellationToken)
    {
        var undelivered = buffer.Count;
        if (undelivered > 0)
        {
            await store.MarkFailedAsync(pixelKey, [.. buffer.Events.Select(e => e.Seq)], TikTokCodes.NoPermission, "The pixel was disconnected before the event could be delivered.", null, time.GetUtcNow(), cancellationToken);
            buffer.Clear();
            _refusals.Clear();
        }
        return undelivered;
    }

    public static DisconnectResult Disconnected(int flushed, int undelivered) => new(DisconnectOutcome.Disconnected, flushed, undelivered, undelivered == 0
        ? $"Disconnected; {flushed} buffered event(s) were delivered first."
        : $"Disconnected; {flushed} buffered event(s) were delivered first and {undelivered} could not be (budget or TikTok) and are marked failed.");

    /// <summary>Throttles back off briefly and grow; token trouble and outages wait longer. All capped.</summary>
    public TimeSpan Backoff(TikTokOutcome outcome, int failures)
    {
        var basis = outcome == TikTokOutcome.Throttled ? options.ThrottleBackoff : options.FailureBackoff;
        var grown = basis * Math.Pow(2, Math.Min(failures - 1, 16));
        return grown < options.MaxBackoff ? grown : options.MaxBackoff;
    }

    /// <summary>
    /// Sends one request and describes it for the request inspector: when, which rows, TikTok's answer and the latency.
    /// The slot hears of the answer as soon as it is back, before anything is written: its window runs from
    /// TikTok's answer, not from the end of our bookkeeping.
    /// </summary>
    private async Task<(TikTokResponse<JsonElement> Response, SentRequest Record)> SendAsync(string pixelId, string? partnerName, IReadOnlyList<BufferedEvent> batch, RequestSlot? slot, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        TikTokResponse<JsonElement> response;
        try
        {
            response = await send(Request(pixelId, partnerName, batch), cancellationToken);
        }
        finally
        {
            slot?.Answered(time.GetUtcNow());
        }
        var latency = time.GetElapsedTime(started);
        return (response, new SentRequest(
            0, sentAt, SentRequest.OutcomeName(response.Outcome), response.Code, response.Message, response.RequestId, latency.TotalMilliseconds,
            [.. batch.Select(e => e.EventName).Distinct(StringComparer.Ordinal)], batch[0].EventSource, batch[0].TestEventCode, partnerName, Seqs(batch)));
    }

    private static List<long> Seqs(IReadOnlyList<BufferedEvent> batch) => [.. batch.Select(e => e.Seq)];

    /// <summary>One request carries one event_source and one test_event_code (both are top-level in TikTok's body).</summary>
    public static TrackRequest Request(string pixelId, string? partnerName, IReadOnlyList<BufferedEvent> batch) => new()
    {
        EventSource = batch[0].EventSource,
        EventSourceId = pixelId,
        Data = [.. batch.Select(e => e.Payload)],
        TestEventCode = batch[0].TestEventCode,
        PartnerName = partnerName,
    };
}
