using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Alerts;
using TikTokAds.Contracts.Assurance;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Assurance;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Alerts;

/// <summary>
/// One organizer's alerts. A durable reminder evaluates the rules over every connected pixel; an alert that
/// fires or resolves is logged, counted, and queued for the organizer's webhook in the same state write, then
/// sent, signed, until the receiver acknowledges it (at least once, in order, with a growing back-off).
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class AlertGrain(
    [PersistentState("alerts", GrainStorage.Name)] IPersistentState<AlertState> state,
    IEventStore store,
    IHttpClientFactory httpFactory,
    TokenProtector protector,
    IOptions<AlertOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<AlertGrain> logger) : Grain, IAlertGrain, IRemindable
{
    private const string Reminder = "evaluate";
    /// <summary>A listed pixel whose store holds nothing waiting: connected, with no backlog to judge its budget by.</summary>
    private static readonly PixelBacklog NothingWaiting = new(true, 0, null, int.MaxValue);
    private readonly AlertOptions _options = options.Value;
    /// <summary>
    /// Each pixel's reconciliation flag, as its last run told it (<see cref="ReconciledAsync"/>) or as asked for on the
    /// UTC day it is from (the reconciliation's own <see cref="Reconciler.Today"/>): the flag covers the days before that
    /// one, so a flag from an earlier day is asked for again.
    /// </summary>
    private readonly Dictionary<string, (ReconciliationFlag Flag, DateOnly Day)> _flags = new(StringComparer.Ordinal);
    private WakeUp _send = null!;

    private string OrganizerId => this.GetPrimaryKeyString();
    private AlertRules Rules => state.State.Rules ?? AlertRules.Defaults;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _send = new WakeUp(time, () => this.RegisterGrainTimer(SendDueAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        if (state.State.Outbox.Count > 0)
        {
            _send.Within(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!state.State.Started)
        {
            await this.RegisterOrUpdateReminder(Reminder, _options.EvaluationInterval, _options.EvaluationInterval, cancellationToken);
            await WriteAsync(state.State with { Started = true }, cancellationToken);
        }
    }

    public Task<AlertRules> GetRulesAsync() => Task.FromResult(Rules);

    public async Task<AlertRules> SetRulesAsync(AlertRules rules, CancellationToken cancellationToken = default)
    {
        await WriteAsync(state.State with { Rules = rules }, cancellationToken);
        await StartAsync(cancellationToken);
        return rules;
    }

    public Task<AlertWebhookView> GetWebhookAsync() => Task.FromResult(WebhookView());

    public async Task<AlertWebhookView> SetWebhookAsync(AlertWebhookSettings settings, CancellationToken cancellationToken = default)
    {
        // Without a receiver nothing waits to be sent; a new receiver gets only what happens from now on.
        var outbox = settings.Url is null || settings.Url != state.State.WebhookUrl ? [] : state.State.Outbox;
        await WriteAsync(state.State with { WebhookUrl = settings.Url, ProtectedSecret = settings.ProtectedSecret, Outbox = outbox, LastError = null }, cancellationToken);
        await StartAsync(cancellationToken);
        return WebhookView();
    }

    public Task<IReadOnlyList<AlertView>> ListAsync(bool includeResolved)
        => Task.FromResult<IReadOnlyList<AlertView>>([.. state.State.Active.OrderByDescending(a => a.FiredAt), .. includeResolved ? state.State.Resolved : []]);

    public async Task<AlertEvaluation> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var rules = Rules;
        var pixels = new List<PixelContext>();
        var connections = await GrainFactory.Organizer(OrganizerId).GetConnectionsAsync();
        // The whole organizer's requests in one read; only pixels with events waiting are asked for their backlog,
        // so an evaluation does not keep every idle pixel activated.
        var keys = connections.Select(c => GrainKeys.Pixel(OrganizerId, c.PixelId)).ToList();
        var requests = await store.RequestSignalsAsync(keys, now.AddMinutes(-rules.FailureRatio.WindowMinutes), now - AlertConditions.History, cancellationToken);
        foreach (var (connection, key) in connections.Zip(keys))
        {
            var sent = requests[key];
            var backlog = sent.Waiting ? await GrainFactory.Pixel(OrganizerId, connection.PixelId).GetBacklogAsync() : NothingWaiting;
            var signals = new PixelSignals(connection.PixelId, backlog.Connected, backlog.Waiting, backlog.OldestWaitingAt, backlog.BudgetLeftToday, sent.Outcomes, sent.DeliveredByHour);
            var flag = rules.ReconciliationGap.Enabled ? await FlagAsync(connection.PixelId, now) : null;
            pixels.Add(new PixelContext(signals, connection.Status == ConnectionStatus.ReauthorisationRequired, ReconciliationGaps.From(flag)));
        }
        if (_flags.Count > connections.Count)
        {
            var listed = connections.Select(c => c.PixelId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _flags.Keys.Where(p => !listed.Contains(p)).ToList())
            {
                _flags.Remove(gone);
            }
        }
        var change = AlertBook.Apply(state.State.Active, AlertConditions.Evaluate(rules, pixels, now), now);
        foreach (var alert in change.Fired)
        {
            AlertLog.Fired(logger, OrganizerId, alert.Rule, alert.PixelId, alert.Message);
            metrics.AlertFired(alert.Rule);
        }
        foreach (var alert in change.Resolved)
        {
            AlertLog.Resolved(logger, OrganizerId, alert.Rule, alert.PixelId);
            metrics.AlertResolved(alert.Rule);
        }
        if (change.Fired.Count + change.Resolved.Count == 0)
        {
            // Only "last seen" moved: kept in memory, not worth a write a minute.
            state.State = state.State with { Active = change.Active };
        }
        else
        {
            var queued = state.State.WebhookUrl is null ? [] : change.Fired.Concat(change.Resolved).Select(a => AlertNotifications.For(OrganizerId, a, now)).ToList();
            await WriteAsync(state.State with
            {
                Active = change.Active,
                Resolved = [.. change.Resolved, .. state.State.Resolved.Take(_options.History - change.Resolved.Count)],
                Outbox = Trim([.. state.State.Outbox, .. queued]),
            }, cancellationToken);
        }
        await SendDueAsync(cancellationToken);
        return new AlertEvaluation(change.Fired, change.Resolved, change.Active.Count);
    }

    public Task ReconciledAsync(string pixelId, ReconciliationFlag flag)
    {
        _flags[pixelId] = (flag, Reconciler.Today(time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken) => EvaluateAsync(cancellationToken);

    // Orleans 10 delivers ticks through the overload with a token; this one only completes the interface.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => EvaluateAsync(CancellationToken.None);

    /// <summary>The pixel's flag from today, asked of its reconciliation only when none is known.</summary>
    private async Task<ReconciliationFlag> FlagAsync(string pixelId, DateTimeOffset now)
    {
        if (_flags.TryGetValue(pixelId, out var known) && known.Day == Reconciler.Today(now))
        {
            return known.Flag;
        }
        var flag = await GrainFactory.Reconciliation(OrganizerId, pixelId).GetFlagAsync();
        _flags[pixelId] = (flag, Reconciler.Today(now));
        return flag;
    }

    /// <summary>Sends the due notifications in order; the first one not acknowledged stops the round and backs off.</summary>
    private async Task SendDueAsync(CancellationToken cancellationToken)
    {
        _send.Disarm();
        if (state.State.WebhookUrl is not { } url || state.State.Outbox.Count == 0)
        {
            return;
        }
        var secret = state.State.ProtectedSecret is { } protectedSecret ? protector.Unprotect(protectedSecret, OrganizerId) : null;
        var outbox = state.State.Outbox.ToList();
        var (delivered, lastError) = (state.State.LastDeliveredAt, state.State.LastError);
        while (outbox.Count > 0 && outbox[0].NextAttemptAt <= time.GetUtcNow() && !cancellationToken.IsCancellationRequested)
        {
            var next = outbox[0];
            var (_, error, _) = await SignedWebhook.PostAsync(httpFactory, url, next.Body, secret, next.Id, _options.WebhookTimeout, time, cancellationToken);
            if (error is null)
            {
                outbox.RemoveAt(0);
                (delivered, lastError) = (time.GetUtcNow(), null);
                metrics.AlertNotification("delivered");
                continue;
            }
            var attempts = next.Attempts + 1;
            outbox[0] = next with { Attempts = attempts, NextAttemptAt = time.GetUtcNow() + AlertNotifications.Backoff(_options, attempts) };
            lastError = error;
            metrics.AlertNotification("retry");
            AlertLog.WebhookFailed(logger, OrganizerId, attempts, error);
            break;
        }
        await WriteAsync(state.State with { Outbox = outbox, LastDeliveredAt = delivered, LastError = lastError }, cancellationToken);
        if (outbox.Count > 0)
        {
            _send.Within(outbox[0].NextAttemptAt - time.GetUtcNow());
        }
    }

    private List<AlertNotification> Trim(List<AlertNotification> outbox)
    {
        var excess = outbox.Count - _options.MaxPending;
        if (excess > 0)
        {
            AlertLog.OutboxFull(logger, OrganizerId, excess);
            metrics.AlertNotification("dropped", excess);
            outbox.RemoveRange(0, excess);
        }
        return outbox;
    }

    private AlertWebhookView WebhookView() => new(state.State.WebhookUrl, state.State.ProtectedSecret is not null, state.State.Outbox.Count, state.State.LastDeliveredAt, state.State.LastError);

    private Task WriteAsync(AlertState next, CancellationToken cancellationToken) => state.WriteAsync(next, cancellationToken);
}
