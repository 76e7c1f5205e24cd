using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Segments;
using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// One segment. A run is stored before it starts and resumed by a reminder after a crash. It waits until
/// the bound audience has no runs of its own under way, computes the segment, stores the plan, then queues the
/// difference at the audience (APPEND the new, REMOVE those who left) and waits for those runs to finish.
/// Daily segments start a run at their hour by a reminder; instant ones on demand and after every change.
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class SegmentGrain(
    [PersistentState("segment", GrainStorage.Name)] IPersistentState<SegmentState> state,
    IBuyerFactStore facts,
    IAudienceStore audiences,
    IOptions<SegmentOptions> options,
    TimeProvider time,
    ILogger<SegmentGrain> logger) : Grain, ISegmentGrain, IRemindable
{
    private const string RunReminderName = "run";
    private const string DailyReminderName = "daily";
    private readonly SegmentOptions _options = options.Value;
    private WakeUp? _wakeUp;

    private (string OrganizerId, string SegmentId) Key => GrainKeys.Split(this.GetPrimaryKeyString());
    private SegmentState Current => state.State;
    private IAudienceGrain Audience => GrainFactory.Audience(Key.OrganizerId, Current.Definition!.AudienceId!);
    private WakeUp WakeUp => _wakeUp ??= new WakeUp(time, () => this.RegisterGrainTimer(StepAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current.Run is not null)
        {
            WakeUp.Within(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task<SegmentResult> SaveAsync(SegmentDefinition definition, bool create, CancellationToken cancellationToken = default)
    {
        if (create == Current.Exists)
        {
            return create ? new SegmentResult(SegmentOutcome.Saved, await ViewAsync(cancellationToken), "Already created.") : NotFound;
        }
        var bound = await SegmentAudiences.BindAsync(GrainFactory, Key.OrganizerId, definition, Current.Definition, cancellationToken);
        if (bound.Failure is { } failure)
        {
            return failure;
        }
        var now = time.GetUtcNow();
        await SaveStateAsync(Current with { Definition = bound.Definition, CreatedAt = create ? now : Current.CreatedAt, UpdatedAt = now }, CancellationToken.None);
        if (create)
        {
            await GrainFactory.SegmentDirectory(Key.OrganizerId).AddAsync(Key.SegmentId, CancellationToken.None);
        }
        await ScheduleAsync(bound.Definition!);
        if (bound.Definition!.Schedule == SegmentSchedules.Instant)
        {
            await StartRunAsync(create ? "created" : "changed");
        }
        SegmentLog.Saved(logger, this.GetPrimaryKeyString(), bound.Definition.AudienceId!, bound.Definition.Schedule);
        return new SegmentResult(SegmentOutcome.Saved, await ViewAsync(cancellationToken), create ? "Created." : "Changed.");
    }

    public async Task<SegmentView?> GetAsync(CancellationToken cancellationToken = default) => Current.Exists ? await ViewAsync(cancellationToken) : null;

    public async Task<SegmentResult> SyncAsync(CancellationToken cancellationToken = default)
    {
        if (!Current.Exists)
        {
            return NotFound;
        }
        var started = await StartRunAsync("manual");
        return new SegmentResult(SegmentOutcome.Saved, await ViewAsync(cancellationToken), started ? "Run started." : "A run is under way; another follows it.");
    }

    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (!Current.Exists)
        {
            return false;
        }
        WakeUp.Disarm();
        await RunReminder().SetAsync(false);
        await DailyReminder(TimeSpan.Zero).SetAsync(false);
        await GrainFactory.SegmentDirectory(Key.OrganizerId).RemoveAsync(Key.SegmentId, cancellationToken);
        await state.ClearStateAsync(cancellationToken);
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
        => reminderName == DailyReminderName ? StartRunAsync("daily") : StepAsync(cancellationToken);

    // Orleans 10 delivers ticks through the overload with a token; this one only completes the interface.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    /// <summary>
    /// A new run, stored with its reminder before it starts. While one is under way (it may have queued its
    /// difference already), the request is stored instead and one more run follows: false.
    /// </summary>
    private async Task<bool> StartRunAsync(string trigger)
    {
        if (!Current.Exists)
        {
            return false;
        }
        if (Current.Run is not null)
        {
            await SaveStateAsync(Current with { NextTrigger = Current.NextTrigger ?? trigger }, CancellationToken.None);
            return false;
        }
        var run = new SegmentRunState(Current.LastRunId + 1, trigger, time.GetUtcNow(), null, null);
        await SaveStateAsync(Current with { LastRunId = run.RunId, Run = run, NextTrigger = null }, CancellationToken.None);
        await RunReminder().SetAsync(true);
        WakeUp.Within(TimeSpan.Zero);
        return true;
    }

    /// <summary>One step of the run under way: plan and queue the difference, or see whether the audience has applied it.</summary>
    private async Task StepAsync(CancellationToken cancellationToken)
    {
        WakeUp.Disarm();
        if (Current.Run is not { } run || !Current.Exists)
        {
            await RunReminder().SetAsync(false);
            return;
        }
        if (await Audience.GetAsync(cancellationToken) is not { } audience)
        {
            await FinishAsync(run, $"Audience {Current.Definition!.AudienceId} no longer exists.", cancellationToken);
            return;
        }
        var (busy, error) = SegmentAudiences.Progress(audience, run.AudienceRunIds);
        if (busy)
        {
            WakeUp.Within(_options.PollInterval);
            return;
        }
        if (run.AudienceRunIds is not null)
        {
            await FinishAsync(run, error, cancellationToken);
            return;
        }
        await QueueDifferenceAsync(run, cancellationToken);
        WakeUp.Within(TimeSpan.Zero);
    }

    private async Task QueueDifferenceAsync(SegmentRunState run, CancellationToken cancellationToken)
    {
        var definition = Current.Definition!;
        var target = await SegmentComputation.ComputeAsync(facts, Key.OrganizerId, definition, time.GetUtcNow(), cancellationToken);
        var audienceKey = GrainKeys.Audience(Key.OrganizerId, definition.AudienceId!);
        var diff = SegmentDiff.Of(target.Members, await audiences.MembersNotInAsync(audienceKey, new HashSet<string>(), int.MaxValue, cancellationToken));
        if (run.Planned is null)
        {
            // The plan is durable before the audience hears of it: a resumed run keeps these counts.
            run = run with { Planned = new SegmentRunPlan(target.Total, target.Valid, target.Members.Count, diff.Adds.Count, diff.Removes.Count) };
            await SaveStateAsync(Current with { Run = run }, cancellationToken);
        }
        var queued = new List<long>();
        foreach (var (action, members) in new[] { ("APPEND", diff.Adds), ("REMOVE", diff.Removes) }.Where(c => c.Item2.Count > 0))
        {
            var rows = SegmentDiff.Rows(members);
            var result = await Audience.SyncAsync(new AudienceSyncRequest(action, SegmentDiff.IdSchema, rows, rows.Count, rows.Count, "instant"), cancellationToken);
            queued.Add(result.RunId);
        }
        await SaveStateAsync(Current with { Run = run with { AudienceRunIds = queued } }, cancellationToken);
        SegmentLog.Queued(logger, this.GetPrimaryKeyString(), run.RunId, diff.Adds.Count, diff.Removes.Count);
    }

    private async Task FinishAsync(SegmentRunState run, string? error, CancellationToken cancellationToken)
    {
        var view = run.View(error is null ? SegmentRunStatuses.Done : SegmentRunStatuses.Failed, time.GetUtcNow(), error);
        await SaveStateAsync(Current with { Run = null, History = [view, .. Current.History.Take(_options.RunHistory - 1)] }, cancellationToken);
        SegmentLog.Finished(logger, this.GetPrimaryKeyString(), run.RunId, view.Status, view.Added, view.Removed);
        if (Current.NextTrigger is { } next)
        {
            await StartRunAsync(next);
            return;
        }
        await RunReminder().SetAsync(false);
    }

    /// <summary>A daily segment's reminder is (re)registered for its hour; an instant segment has none.</summary>
    private async Task ScheduleAsync(SegmentDefinition definition)
    {
        if (definition.Schedule == SegmentSchedules.Daily)
        {
            // Registered again even when on: the hour may have changed.
            await this.RegisterOrUpdateReminder(DailyReminderName, AudienceSchedule.NextRun(time.GetUtcNow(), definition.HourUtc) - time.GetUtcNow(), TimeSpan.FromDays(1));
            await SaveStateAsync(Current with { DailyReminder = true }, CancellationToken.None);
        }
        else
        {
            await DailyReminder(TimeSpan.Zero).SetAsync(false);
        }
    }

    private ReminderSwitch RunReminder() => this.ReminderSwitch(
        RunReminderName, () => _options.ReminderPeriod, _options.ReminderPeriod, () => Current.RunReminder, on => SaveStateAsync(Current with { RunReminder = on }, CancellationToken.None));

    private ReminderSwitch DailyReminder(TimeSpan due) => this.ReminderSwitch(
        DailyReminderName, () => due, TimeSpan.FromDays(1), () => Current.DailyReminder, on => SaveStateAsync(Current with { DailyReminder = on }, CancellationToken.None));

    private async Task SaveStateAsync(SegmentState next, CancellationToken cancellationToken)
    {
        if (next != Current)
        {
            state.State = next;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private async Task<SegmentView> ViewAsync(CancellationToken cancellationToken)
    {
        var definition = Current.Definition!;
        var now = time.GetUtcNow();
        var size = (await SegmentComputation.ComputeAsync(facts, Key.OrganizerId, definition, now, cancellationToken)).Size;
        IReadOnlyList<SegmentRunView> runs = Current.Run is { } run ? [run.View(SegmentRunStatuses.Running, null, null), .. Current.History] : Current.History;
        DateTimeOffset? next = definition.Schedule == SegmentSchedules.Daily ? AudienceSchedule.NextRun(now, definition.HourUtc) : null;
        return new SegmentView(Key.SegmentId, definition, definition.AudienceId!, definition.AdvertiserId!, size, Current.CreatedAt, Current.UpdatedAt, next, runs);
    }

    private static SegmentResult NotFound => new(SegmentOutcome.NotFound, null, "No such segment.");
}
