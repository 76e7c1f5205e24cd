using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// One audience, synced through TikTok's segment (streaming) API. Runs are stored before they are
/// acknowledged and applied in order. The members of chunks TikTok took are stored with the progress past them,
/// a few chunks a transaction (TakenChunks): a crash loses no member, because a resumed run re-sends the chunks
/// sent and not yet stored, at most ChunksAhead + ChunksPerWrite − 1 (harmless: add and delete are idempotent, at
/// TikTok and here). What a chunk sends and what TikTok's answer means is the sync plan's.
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class AudienceGrain(
    [PersistentState("audience", GrainStorage.Name)] IPersistentState<AudienceState> state,
    IAudienceStore store,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IOptions<AudienceOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<AudienceGrain> logger) : Grain, IAudienceGrain, IRemindable
{
    private readonly AudienceOptions _options = options.Value;
    private AudienceSyncPlan? _plan;
    private WakeUp? _wakeUp;
    private WakeUp? _scheduleTimer;

    private string GrainKey => this.GetPrimaryKeyString();
    private (string OrganizerId, string AudienceId) Key => GrainKeys.Split(GrainKey);
    private AudienceState Current => state.State;
    private AudienceSyncPlan Plan => _plan ??= new AudienceSyncPlan(store, GrainKey, _options);
    private WakeUp WakeUp => _wakeUp ??= new WakeUp(time, () => this.RegisterGrainTimer(ProcessAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    // Exact while the grain is active; the schedule reminder only brings the grain back after a restart.
    private WakeUp ScheduleTimer => _scheduleTimer ??= new WakeUp(time, () => this.RegisterGrainTimer(ReleaseScheduledAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
    private DateTimeOffset SyncHour => AudienceSchedule.NextRun(time.GetUtcNow(), _options.ScheduledHourUtc);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current.Exists && AudienceSyncPlan.Due(await store.OpenAsync(GrainKey, cancellationToken)) is not null)
        {
            WakeUp.Within(TimeSpan.Zero);
        }
        if (Current.ScheduleReminder)
        {
            ScheduleTimer.Within(SyncHour - time.GetUtcNow());
        }
    }

    public async Task<AudienceResult> CreateAsync(AudienceCreateRequest request, CancellationToken cancellationToken = default)
    {
        if (Current.Exists)
        {
            return AudienceResults.Created(await ViewAsync(cancellationToken), "Already created.");
        }
        if (await TokenAsync(request.AdvertiserId) is not { } token)
        {
            return AudienceResults.NoConnection($"No connection of this organizer uses advertiser {request.AdvertiserId}; POST /connect with it first.");
        }
        var response = await tiktok.CreateSegmentAudienceAsync(token.Plain, request.AdvertiserId, request.Name, cancellationToken);
        if (!response.IsSuccess || response.Data?.AudienceId is not { } tiktokId)
        {
            return AudienceResults.Refused(response);
        }
        // Deliberately detached: TikTok has made the audience, so recording it must not be abandoned with the caller.
        await SaveAsync(Current with
        {
            AdvertiserId = request.AdvertiserId, Name = request.Name, TikTokAudienceId = tiktokId, Status = AudienceStatuses.Processing, IdSchema = request.IdSchema,
            Exclusion = request.Exclusion, RetentionInDays = request.RetentionInDays, CreatedAt = time.GetUtcNow(),
        }, CancellationToken.None);
        await GrainFactory.AudienceDirectory(Key.OrganizerId).AddAsync(Key.AudienceId, CancellationToken.None);
        AudienceLog.Created(logger, GrainKey, tiktokId);
        return AudienceResults.Created(await ViewAsync(cancellationToken), "Created at TikTok; it takes data once TikTok has processed it. Syncs queue meanwhile.");
    }

    public async Task<AudienceView?> GetAsync(CancellationToken cancellationToken = default) => Current.Exists ? await ViewAsync(cancellationToken) : null;

    public async Task<SyncResult> SyncAsync(AudienceSyncRequest request, CancellationToken cancellationToken = default)
    {
        if (!Current.Exists)
        {
            return AudienceResults.UnknownAudience(request);
        }
        var scheduled = request.Trigger == "scheduled";
        var stored = store.EnqueueAsync(GrainKey, request.Action, request.IdSchema, request.Rows, request.Packed, request.Trigger, request.Total, request.Valid, time.GetUtcNow(), cancellationToken);
        // The reminder that guarantees the run is armed beside the run's insert, not after it: both are durable writes,
        // and neither needs the other. A reminder whose run was not stored ticks once, finds nothing and switches off.
        // Deliberately detached: once the run is stored it must run even if the caller gave up.
        var armed = scheduled ? ScheduleReminder(CancellationToken.None).SetAsync(true) : ProcessReminder(CancellationToken.None).SetAsync(true);
        try
        {
            await Task.WhenAll(stored, armed);
        }
        finally
        {
            // A stored run gets its timer whatever became of the reminder: if arming failed, the timer's turn arms it again.
            if (stored.IsCompletedSuccessfully)
            {
                if (scheduled)
                {
                    ScheduleTimer.Within(SyncHour - time.GetUtcNow());
                }
                else
                {
                    WakeUp.Within(TimeSpan.Zero);
                }
            }
        }
        var runId = await stored;
        if (!scheduled && request.Packed is { } packed)
        {
            Plan.Hold(runId, packed, request.IdSchema.Count);
        }
        return scheduled ? AudienceResults.Scheduled(runId, request, SyncHour) : AudienceResults.Queued(runId, request, Current.Status == AudienceStatuses.Processing);
    }

    public async Task<AudienceResult> CreateLookalikeAsync(LookalikeRequest request, CancellationToken cancellationToken = default)
    {
        if (!Current.Exists)
        {
            return AudienceResults.NotFound;
        }
        if (await store.CountMembersAsync(GrainKey, cancellationToken) is var members && members < _options.MinimumLookalikeSource)
        {
            return AudienceResults.SourceTooSmall(members, _options.MinimumLookalikeSource);
        }
        if (await TokenAsync(Current.AdvertiserId!) is not { } token)
        {
            return AudienceResults.NoConnection($"No connection uses advertiser {Current.AdvertiserId} any more.");
        }
        var lookalike = AudienceLookalikes.Request(Current, request);
        var response = await tiktok.CreateLookalikeAsync(token.Plain, lookalike, cancellationToken);
        if (!response.IsSuccess || response.Data?.CustomAudienceId is not { } id)
        {
            return AudienceResults.Refused(response);
        }
        // Deliberately detached: TikTok has made the lookalike, so recording it must not be abandoned with the caller.
        var view = new LookalikeView(id, lookalike.CustomAudienceName, request.AudienceSize, request.IncludeSource, request.LocationIds, time.GetUtcNow());
        await SaveAsync(Current with { Lookalikes = [.. Current.Lookalikes, view] }, CancellationToken.None);
        return AudienceResults.Created(await ViewAsync(cancellationToken), $"Lookalike {id} created.");
    }

    public async Task<AudienceResult> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (!Current.Exists)
        {
            return AudienceResults.NotFound;
        }
        var token = await TokenAsync(Current.AdvertiserId!);
        if (token is { } held && await tiktok.DeleteSegmentAudienceAsync(held.Plain, Current.AdvertiserId!, Current.TikTokAudienceId!, cancellationToken) is { IsSuccess: false } response && response.Code != TikTokCodes.ObjectNotFound)
        {
            return AudienceResults.Refused(response);
        }
        WakeUp.Disarm();
        ScheduleTimer.Disarm();
        _plan?.Release();
        await ProcessReminder(cancellationToken).SetAsync(false);
        await ScheduleReminder(cancellationToken).SetAsync(false);
        await store.DeleteAudienceAsync(GrainKey, cancellationToken);
        await GrainFactory.AudienceDirectory(Key.OrganizerId).RemoveAsync(Key.AudienceId, cancellationToken);
        await GrainFactory.Exclusions(Key.OrganizerId).ForgetAsync(Key.AudienceId, cancellationToken);
        await state.ClearStateAsync(cancellationToken);
        return AudienceResults.Deleted(atTikTok: token is not null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
    {
        if (reminderName == "scheduled")
        {
            await ReleaseScheduledAsync(cancellationToken);
        }
        await ProcessAsync(cancellationToken);
    }

    // Orleans 10 delivers ticks through the overload with a token; this one only completes the interface.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    /// <summary>
    /// Steps of the due run for one turn (at most TurnBudget of sending): chunks to TikTok, settled in the order
    /// sent, the members of those TikTok took stored with the run's progress past them a few chunks a transaction
    /// (TakenChunks), then the next turn. An upload phase's chunks go out several at once (ChunkPipeline); a
    /// REPLACE's removals go one at a time.
    /// </summary>
    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        WakeUp.Disarm();
        var run = Current.Exists ? AudienceSyncPlan.Due(await store.OpenAsync(GrainKey, cancellationToken)) : null;
        await ProcessReminder(cancellationToken).SetAsync(run is not null);
        if (run is null)
        {
            Plan.Release();
            return;
        }
        if (!Plan.Holds(run.OpId))
        {
            // An older run goes first: the held rows would wait through all of its upload.
            Plan.Release();
        }
        if (await TokenAsync(Current.AdvertiserId!) is not { } token)
        {
            Plan.Release();
            await SaveAsync(Current with { LastError = $"No connection uses advertiser {Current.AdvertiserId}; runs wait until one does." }, cancellationToken);
            WakeUp.Within(_options.FailureBackoff);
            return;
        }
        var started = time.GetTimestamp();
        var settled = run;
        var taken = new TakenChunks(store, GrainKey, run, _options.ChunksPerWrite);
        var delay = TimeSpan.Zero;
        try
        {
            var first = await Plan.NextAsync(run, Current, time.GetUtcNow(), cancellationToken);
            settled = first.Run;
            var upload = first.Run.Phase == 0 && first.Request is not null;
            await new ChunkPipeline(upload ? _options.ChunksInFlight : 1, upload ? _options.ChunksAhead : 1).RunAsync(
                first,
                next: async previous =>
                {
                    var upTo = previous.Run.Progress + previous.Count;
                    return upload && upTo < previous.Run.Valid && time.GetElapsedTime(started) < _options.TurnBudget
                        && await Plan.NextAsync(previous.Run with { Progress = upTo }, Current, time.GetUtcNow(), cancellationToken) is { Request: not null } step ? step : null;
                },
                send: step => Send(token.Plain, step, cancellationToken),
                settle: async (step, answer) =>
                {
                    var result = await SettleAsync(step with { Run = settled }, answer, token.Protected, taken, cancellationToken);
                    (settled, delay) = (result.Run, result.Delay);
                    return result.Outcome == AudienceStepOutcome.Accepted;
                },
                cancellationToken);
            await taken.FlushAsync(cancellationToken);
        }
        catch
        {
            Plan.Release();
            throw;
        }
        // Held rows serve an upload that is flowing: a wait (TikTok still processing, a retry) lets them go, and so
        // does the end of their own run's upload.
        if (delay != TimeSpan.Zero)
        {
            Plan.Release();
        }
        else if (settled.Phase != 0 || settled.Status != OperationStatuses.Running)
        {
            Plan.Release(settled.OpId);
        }
        WakeUp.Within(delay);
    }

    private async Task<TikTokResponse<JsonElement>?> Send(string token, AudienceSyncStep step, CancellationToken cancellationToken)
        => step.Request is null ? null : await tiktok.MapSegmentAsync(token, step.Request, cancellationToken);

    /// <summary>
    /// TikTok's answer to one chunk, settled: the run's progress past it when it took the chunk, stored with the
    /// chunk's members in the turn's next write (<see cref="TakenChunks"/>); any other outcome stores the run at once.
    /// </summary>
    private async Task<AudienceStepResult> SettleAsync(AudienceSyncStep step, TikTokResponse<JsonElement>? response, string protectedToken, TakenChunks taken, CancellationToken cancellationToken)
    {
        var result = Plan.Settle(step, Current, response, time.GetUtcNow());
        if (response is { RequiresReauthorisation: true })
        {
            await GrainFactory.Organizer(Key.OrganizerId).ReportAdvertiserTokenRejectedAsync(Current.AdvertiserId!, protectedToken, response.Code, response.Message);
        }
        await SaveAsync(result.Audience, cancellationToken);
        if (result.Outcome == AudienceStepOutcome.Accepted)
        {
            await taken.TookAsync(step, result.Run, cancellationToken);
            metrics.MembersSynced(step.Metric, step.Count);
            return result;
        }
        if (result.Outcome is AudienceStepOutcome.Failed or AudienceStepOutcome.Retry)
        {
            AudienceLog.SyncProblem(logger, GrainKey, step.Run.OpId, response!.Outcome, response.Code, response.RequestId);
        }
        await taken.StoreAsync(result.Run, cancellationToken);
        return result;
    }

    /// <summary>The sync hour came (by the timer while active, by the reminder after a restart): scheduled runs become pending.</summary>
    private async Task ReleaseScheduledAsync(CancellationToken cancellationToken)
    {
        ScheduleTimer.Disarm();
        var released = await store.ReleaseScheduledAsync(GrainKey, cancellationToken);
        AudienceLog.ScheduledRunsReleased(logger, GrainKey, released);
        if (released > 0)
        {
            // The released runs' reminder goes on before the schedule's goes off, so they never wait without one.
            await ProcessReminder(cancellationToken).SetAsync(true);
            WakeUp.Within(TimeSpan.Zero);
        }
        await ScheduleReminder(cancellationToken).SetAsync(false);
    }

    private ReminderSwitch ProcessReminder(CancellationToken cancellationToken) => this.ReminderSwitch(
        "process", () => _options.ReminderPeriod, _options.ReminderPeriod, () => Current.ProcessReminder, on => SaveAsync(Current with { ProcessReminder = on }, cancellationToken));

    private ReminderSwitch ScheduleReminder(CancellationToken cancellationToken) => this.ReminderSwitch(
        "scheduled", () => SyncHour - time.GetUtcNow(), TimeSpan.FromDays(1), () => Current.ScheduleReminder, on => SaveAsync(Current with { ScheduleReminder = on }, cancellationToken));

    private async Task SaveAsync(AudienceState next, CancellationToken cancellationToken)
    {
        if (next != Current)
        {
            state.State = next;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The advertiser's access token: the organizer's OAuth authorization that grants it, else a pixel connection's.
    /// Its protected form names it when TikTok rejects it.
    /// </summary>
    private async Task<(string Plain, string Protected)?> TokenAsync(string advertiserId)
        => (await GrainFactory.Organizer(Key.OrganizerId).GetAdvertiserAccessAsync(advertiserId)).ProtectedToken is { } token ? (protector.Unprotect(token, Key.OrganizerId), token) : null;

    /// <summary>The audience as stored, shown as reauthorization_required while the token for its advertiser is rejected.</summary>
    private async Task<AudienceView> ViewAsync(CancellationToken cancellationToken)
    {
        var view = Current.ToView(Key.AudienceId, await store.CountMembersAsync(GrainKey, cancellationToken), await store.HistoryAsync(GrainKey, 50, cancellationToken));
        var access = await GrainFactory.Organizer(Key.OrganizerId).GetAdvertiserAccessAsync(view.AdvertiserId);
        return access.State == Contracts.Organizers.AdvertiserAccessState.ReauthorisationRequired
            ? view with { Status = Contracts.Organizers.AdvertiserAccessState.ReauthorisationRequired, LastError = $"TikTok rejected the token for advertiser {view.AdvertiserId}; authorize again (GET /oauth/start) or reconnect the pixel. Runs wait until then." }
            : view;
    }
}
