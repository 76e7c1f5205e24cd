using TikTokAds.Contracts;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

public sealed partial class PixelGrain
{
    /// <summary>
    /// Sends what the budget allows, oldest first. Success and refusals (4xx codes) settle events; throttles,
    /// token trouble and TikTok outages leave them waiting, with a back-off. Then it re-arms itself for the
    /// moment sending can resume.
    /// </summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush.Disarm();
        if (Connection is not { } connection)
        {
            return;
        }
        // A batch gathers many requests' events: the flush gets its own trace, and each event keeps its request's.
        using var trace = System.Diagnostics.Activity.Current is null ? new System.Diagnostics.Activity("pixel.flush").Start() : null;
        var token = protector.Unprotect(connection.ProtectedToken, OrganizerId);
        var failures = state.State.ConsecutiveFailures;
        string? lastError = state.State.LastError;
        var lastSent = state.State.LastEventSent;
        var flushed = false;
        while (_buffer.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var left = _budget.EventsLeftToday(now);
            if (left == 0 || !_budget.TryTakeRequest(now))
            {
                break;
            }
            var batch = BatchPlanner.Next(_buffer, left);
            var first = batch[0];
            var response = await tiktok.TrackEventsAsync(token, Request([.. batch.Select(e => e.Payload)], first.EventSource, first.TestEventCode), cancellationToken);
            flushed = true;
            var seqs = batch.Select(e => e.Seq).ToList();
            if (response.IsSuccess)
            {
                await store.MarkDeliveredAsync(GrainKey, seqs, response.RequestId, time.GetUtcNow(), CancellationToken.None);
                metrics.Delivered(batch.Count);
                Remove(batch);
                _budget.RecordSent(batch.Count, now);
                lastSent = time.GetUtcNow();
                failures = 0;
                lastError = null;
                continue;
            }
            lastError = $"TikTok {response.Code}: {response.Message}";
            PixelLog.DeliveryProblem(logger, GrainKey, batch.Count, response.Outcome, response.Code, response.RequestId);
            if (response.Outcome == TikTokOutcome.InvalidRequest)
            {
                // TikTok refuses the request itself: resending it cannot help. These events are failed; the rest wait.
                await store.MarkFailedAsync(GrainKey, seqs, response.Code, response.Message, time.GetUtcNow(), CancellationToken.None);
                metrics.Failed(batch.Count);
                Remove(batch);
                continue;
            }
            failures++;
            _budget.BackOff(now + Backoff(response.Outcome, failures));
            if (response.RequiresReauthorisation)
            {
                // Never awaited: organizer grains call pixel grains, so a wait here could deadlock the two.
                _ = GrainFactory.Organizer(OrganizerId).ReportTokenRejectedAsync(PixelId, response.Code, response.Message);
            }
            break;
        }
        if (_buffer.Count == 0 && _moreInStore)
        {
            await ReloadAsync(cancellationToken);
        }
        if (flushed || failures != state.State.ConsecutiveFailures)
        {
            state.State = state.State with
            {
                BudgetDay = _budget.Day,
                SentToday = _budget.SentToday,
                BackoffUntil = _budget.BackoffUntil,
                ConsecutiveFailures = failures,
                LastFlushAt = time.GetUtcNow(),
                LastError = lastError,
                LastEventSent = lastSent,
                Duplicates = state.State.Duplicates + _newDuplicates,
            };
            await state.WriteStateAsync(CancellationToken.None);
            _newDuplicates = 0;
        }
        if (_buffer.Count > 0)
        {
            var now = time.GetUtcNow();
            ArmFlush(_budget.NextSendTime(now) - now);
        }
        else
        {
            await EnsureReminderAsync(false);
        }
    }

    /// <summary>Throttles back off briefly and grow; token trouble and outages wait longer. All capped.</summary>
    private TimeSpan Backoff(TikTokOutcome outcome, int failures)
    {
        var basis = outcome == TikTokOutcome.Throttled ? _options.ThrottleBackoff : _options.FailureBackoff;
        var grown = basis * Math.Pow(2, Math.Min(failures - 1, 16));
        return grown < _options.MaxBackoff ? grown : _options.MaxBackoff;
    }

    private void Remove(IReadOnlyList<BufferedEvent> batch)
    {
        var sent = batch.Select(e => e.Seq).ToHashSet();
        _buffer.RemoveAll(e => sent.Contains(e.Seq));
    }

    /// <summary>Makes sure a flush runs within <paramref name="delay"/>; an earlier one already armed stays.</summary>
    private void ArmFlush(TimeSpan delay) => Flush.Within(delay);

    private WakeUp Flush => _flush ??= new WakeUp(time, () => this.RegisterGrainTimer(FlushAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    /// <summary>The reminder exists exactly while events wait, so an idle pixel costs nothing.</summary>
    private async Task EnsureReminderAsync(bool active)
    {
        if (state.State.ReminderActive == active)
        {
            return;
        }
        if (active)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
        }
        else
        {
            await this.UnregisterReminderAsync(ReminderName);
        }
        state.State = state.State with { ReminderActive = active };
        await state.WriteStateAsync();
    }
}
