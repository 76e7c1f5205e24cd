using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Assurance;
using TikTokAds.Grains.Audiences;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// One pixel's reconciliation with TikTok's own counts. A daily reminder (at Assurance:ReconciliationHourUtc)
/// rechecks the last complete days; a run on demand checks any range of up to 30 days. Each run replaces
/// the checked days' rows and writes the state once.
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class ReconciliationGrain(
    [PersistentState("reconciliation", GrainStorage.Name)] IPersistentState<ReconciliationState> state,
    IEventStore store,
    ReconciliationTikTok tiktok,
    IOptions<AssuranceOptions> options,
    IOptions<PixelOptions> pixelOptions,
    TimeProvider time,
    ILogger<ReconciliationGrain> logger) : Grain, IReconciliationGrain, IRemindable
{
    private const string DailyReminder = "reconcile";
    private readonly AssuranceOptions _options = options.Value;

    private string Key => this.GetPrimaryKeyString();
    private (string OrganizerId, string Id) Ids => GrainKeys.Split(Key);
    private ReconciliationState Current => state.State;

    public Task ScheduleAsync(CancellationToken cancellationToken = default) => Daily(cancellationToken).SetAsync(true);

    public Task<ReconciliationReport> GetAsync(DateOnly from, DateOnly to) => Task.FromResult(Report(from, to));

    public Task<ReconciliationFlag> GetFlagAsync() => Task.FromResult(Flag());

    private ReconciliationFlag Flag()
    {
        var today = Reconciler.Today(time.GetUtcNow());
        var flagged = Report(today.AddDays(-_options.RecheckDays), today).Rows.Where(r => r.Flagged).ToList();
        return new ReconciliationFlag(flagged.Count > 0, flagged, Current.LastRunAt);
    }

    /// <summary>
    /// The organizer's alerts keep each pixel's flag and ask for it only when they have none from today. The run is
    /// stored by now: if they cannot be told, they ask again after a restart or on the next day.
    /// </summary>
    private async Task TellAlertsAsync()
    {
        try
        {
            await GrainFactory.Alerts(Ids.OrganizerId).ReconciledAsync(Ids.Id, Flag());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            AssuranceLog.AlertsNotTold(logger, exception, Key);
        }
    }

    public async Task<ReconciliationRun> RunAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var secret = await GrainFactory.Organizer(Ids.OrganizerId).GetPixelCredentialAsync(Ids.Id);
        if (secret is null)
        {
            return new ReconciliationRun(ReconciliationOutcome.NotConnected, 0, $"Pixel {Ids.Id} is not connected.", [], Report(from, to));
        }
        var now = time.GetUtcNow();
        var oldest = Reconciler.OldestComplete(now, pixelOptions.Value.StatusRetention);
        var days = Reconciler.Days(from, to);
        var fetch = await tiktok.FetchAsync(Ids.OrganizerId, secret, Current.TikTokPixel, [.. days.Where(d => d >= oldest)], cancellationToken);
        var checkedDays = fetch.Days.Keys.Order().ToList();
        var delivered = checkedDays.Count == 0 ? [] : await store.CountDeliveredByDayAsync(Key, checkedDays[0], checkedDays[^1], cancellationToken);
        var fresh = checkedDays.SelectMany(day => Reconciler.Compare(day, delivered, fetch.Days[day], now, _options.GapRatioThreshold, _options.MinGapEvents)).ToList();
        var failed = fetch.Outcome != TikTokOutcome.Success;
        state.State = Current with
        {
            Rows = Reconciler.Merge(Current.Rows, checkedDays, fresh, Reconciler.Today(now).AddDays(-_options.HistoryDays)),
            LastRunAt = now,
            LastErrorCode = failed ? fetch.Code : null,
            LastError = failed ? fetch.Message : null,
            TikTokPixel = fetch.Pixel ?? Current.TikTokPixel,
        };
        await state.WriteStateAsync(cancellationToken);
        Log(checkedDays.Count, fresh, fetch);
        await TellAlertsAsync();
        var outcome = fetch.Outcome switch
        {
            TikTokOutcome.Success => ReconciliationOutcome.Completed,
            TikTokOutcome.Transient or TikTokOutcome.Throttled => ReconciliationOutcome.TikTokUnavailable,
            _ => ReconciliationOutcome.TikTokRefused,
        };
        return new ReconciliationRun(outcome, fetch.Code, fetch.Message, [.. days.Where(d => d < oldest)], Report(from, to));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
    {
        var (from, to) = Reconciler.DailyRange(time.GetUtcNow(), _options.RecheckDays);
        var run = await RunAsync(from, to, cancellationToken);
        if (run.Outcome == ReconciliationOutcome.NotConnected)
        {
            await Daily(cancellationToken).SetAsync(false);
        }
    }

    // Orleans 10 delivers ticks through the overload with a token; this one only completes the interface.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    private ReminderSwitch Daily(CancellationToken cancellationToken) => this.ReminderSwitch(
        DailyReminder, () => AudienceSchedule.NextRun(time.GetUtcNow(), _options.ReconciliationHourUtc) - time.GetUtcNow(), TimeSpan.FromDays(1),
        () => Current.ReminderActive, on => WriteAsync(Current with { ReminderActive = on }, cancellationToken));

    private ReconciliationReport Report(DateOnly from, DateOnly to)
    {
        var rows = Current.Rows.Where(r => r.Day >= from && r.Day <= to).ToList();
        var settings = new ReconciliationSettings(_options.GapRatioThreshold, _options.MinGapEvents, _options.RecheckDays, _options.ReconciliationHourUtc);
        return new ReconciliationReport(Ids.Id, from, to, rows, rows.Any(r => r.Flagged), Current.LastRunAt, Current.LastErrorCode, Current.LastError, settings);
    }

    private void Log(int days, IReadOnlyList<ReconciliationRow> rows, StatsFetch fetch)
    {
        foreach (var row in rows.Where(r => r.Flagged))
        {
            AssuranceLog.GapFlagged(logger, Key, row.EventName, row.Day, row.Delivered, row.TikTokServer, row.Gap, row.GapRatio);
        }
        if (fetch.Outcome == TikTokOutcome.Success)
        {
            AssuranceLog.Reconciled(logger, Key, days, rows.Count(r => r.Flagged));
        }
        else
        {
            AssuranceLog.ReconciliationStopped(logger, Key, days, fetch.Outcome, fetch.Code, fetch.RequestId);
        }
    }

    private Task WriteAsync(ReconciliationState next, CancellationToken cancellationToken)
    {
        state.State = next;
        return state.WriteStateAsync(cancellationToken);
    }
}
