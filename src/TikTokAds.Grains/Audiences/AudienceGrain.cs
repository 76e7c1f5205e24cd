using TikTokAds.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// One audience, synced through TikTok's segment (streaming) API. Runs are stored before they are
/// acknowledged and applied in order, one chunk per turn, with progress stored after every chunk: a
/// crash loses no member, because a resumed run re-sends at most one chunk (harmless: add and delete
/// are idempotent at TikTok).
/// </summary>
public sealed partial class AudienceGrain(
    [PersistentState("audience", GrainStorage.Name)] IPersistentState<AudienceState> state,
    IAudienceStore store,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IOptions<AudienceOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<AudienceGrain> logger) : Grain, IAudienceGrain, IRemindable
{
    private string GrainKey => this.GetPrimaryKeyString();

    private const string ProcessReminderName = "process";
    private const string ScheduleReminderName = "scheduled";
    private readonly AudienceOptions _options = options.Value;
    private WakeUp? _wakeUp;
    private WakeUp? _scheduleTimer;
    private (long OpId, HashSet<string> Members)? _replaceKeep;

    private string OrganizerId => GrainKey[..GrainKey.IndexOf('/', StringComparison.Ordinal)];
    private string AudienceId => GrainKey[(GrainKey.IndexOf('/', StringComparison.Ordinal) + 1)..];
    private AudienceState Current => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current.Exists && (await store.OpenAsync(GrainKey, cancellationToken)).Any(o => o.Status != OperationStatuses.Scheduled))
        {
            Arm(TimeSpan.Zero);
        }
        if (Current.ScheduleReminder)
        {
            ScheduleTimer.Within(NextScheduledRun() - time.GetUtcNow());
        }
    }

    public async Task<AudienceResult> CreateAsync(AudienceCreateRequest request)
    {
        if (Current.Exists)
        {
            return new AudienceResult(AudienceOutcome.Created, await ViewAsync(), 0, "Already created.");
        }
        var credential = await GrainFactory.Organizer(OrganizerId).GetAdvertiserCredentialAsync(request.AdvertiserId);
        if (credential is null)
        {
            return new AudienceResult(AudienceOutcome.NoConnection, null, 0, $"No connection of this organizer uses advertiser {request.AdvertiserId}; POST /connect with it first.");
        }
        var response = await tiktok.CreateSegmentAudienceAsync(Token(credential), request.AdvertiserId, request.Name, CancellationToken.None);
        if (!response.IsSuccess || response.Data?.AudienceId is not { } tiktokId)
        {
            return Refused(response);
        }
        state.State = Current with
        {
            AdvertiserId = request.AdvertiserId,
            Name = request.Name,
            TikTokAudienceId = tiktokId,
            Status = AudienceStatuses.Processing,
            IdSchema = request.IdSchema,
            Exclusion = request.Exclusion,
            RetentionInDays = request.RetentionInDays,
            CreatedAt = time.GetUtcNow(),
        };
        await state.WriteStateAsync();
        await GrainFactory.AudienceDirectory(OrganizerId).AddAsync(AudienceId);
        AudienceLog.Created(logger, GrainKey, tiktokId);
        return new AudienceResult(AudienceOutcome.Created, await ViewAsync(), 0, "Created at TikTok; it takes data once TikTok has processed it. Syncs queue meanwhile.");
    }

    public async Task<AudienceView?> GetAsync() => Current.Exists ? await ViewAsync() : null;

    public async Task<SyncResult> SyncAsync(AudienceSyncRequest request)
    {
        if (!Current.Exists)
        {
            return new SyncResult(false, 0, "not_found", request.Total, request.Valid, "Unknown audience.");
        }
        var runId = await store.EnqueueAsync(GrainKey, request.Action, request.IdSchema, request.Rows, request.Trigger, request.Total, request.Valid, time.GetUtcNow(), CancellationToken.None);
        if (request.Trigger == "scheduled")
        {
            await EnsureScheduleAsync(true);
            var next = NextScheduledRun();
            return new SyncResult(true, runId, OperationStatuses.Scheduled, request.Total, request.Valid, $"Scheduled for the daily sync at {next:yyyy-MM-dd HH:mm} UTC.");
        }
        await EnsureProcessReminderAsync(true);
        Arm(TimeSpan.Zero);
        var waiting = Current.Status == AudienceStatuses.Processing ? " TikTok is still processing the audience; the run waits for it." : "";
        return new SyncResult(true, runId, OperationStatuses.Pending, request.Total, request.Valid, $"Queued; runs apply in order.{waiting}");
    }

    public async Task<AudienceResult> CreateLookalikeAsync(LookalikeRequest request)
    {
        if (!Current.Exists)
        {
            return new AudienceResult(AudienceOutcome.NotFound, null, 0, "Unknown audience.");
        }
        var members = await store.CountMembersAsync(GrainKey, CancellationToken.None);
        if (members < _options.MinimumLookalikeSource)
        {
            return new AudienceResult(AudienceOutcome.SourceTooSmall, null, 0, $"A lookalike needs a source of at least {_options.MinimumLookalikeSource} members; this audience has {members}.");
        }
        var credential = await GrainFactory.Organizer(OrganizerId).GetAdvertiserCredentialAsync(Current.AdvertiserId!);
        if (credential is null)
        {
            return new AudienceResult(AudienceOutcome.NoConnection, null, 0, $"No connection uses advertiser {Current.AdvertiserId} any more.");
        }
        var name = request.Name ?? $"{Current.Name} lookalike ({request.AudienceSize.ToLowerInvariant()})";
        var response = await tiktok.CreateLookalikeAsync(Token(credential), new LookalikeCreateRequest
        {
            AdvertiserId = Current.AdvertiserId!,
            CustomAudienceName = name,
            LookalikeSpec = new LookalikeSpec
            {
                SourceAudienceId = Current.TikTokAudienceId!,
                AudienceSize = request.AudienceSize,
                IncludeSource = request.IncludeSource,
                LocationIds = request.LocationIds.Count > 0 ? request.LocationIds : null,
            },
        }, CancellationToken.None);
        if (!response.IsSuccess || response.Data?.CustomAudienceId is not { } id)
        {
            return Refused(response);
        }
        state.State = Current with { Lookalikes = [.. Current.Lookalikes, new LookalikeView(id, name, request.AudienceSize, request.IncludeSource, request.LocationIds, time.GetUtcNow())] };
        await state.WriteStateAsync();
        return new AudienceResult(AudienceOutcome.Created, await ViewAsync(), 0, $"Lookalike {id} created.");
    }

    public async Task<AudienceResult> DeleteAsync()
    {
        if (!Current.Exists)
        {
            return new AudienceResult(AudienceOutcome.NotFound, null, 0, "Unknown audience.");
        }
        var credential = await GrainFactory.Organizer(OrganizerId).GetAdvertiserCredentialAsync(Current.AdvertiserId!);
        if (credential is not null)
        {
            var response = await tiktok.DeleteSegmentAudienceAsync(Token(credential), Current.AdvertiserId!, Current.TikTokAudienceId!, CancellationToken.None);
            if (!response.IsSuccess && response.Code != TikTokCodes.ObjectNotFound)
            {
                return Refused(response);
            }
        }
        WakeUp.Disarm();
        await EnsureProcessReminderAsync(false);
        await EnsureScheduleAsync(false);
        await store.DeleteAudienceAsync(GrainKey, CancellationToken.None);
        await GrainFactory.AudienceDirectory(OrganizerId).RemoveAsync(AudienceId);
        await state.ClearStateAsync();
        return new AudienceResult(AudienceOutcome.Deleted, null, 0, credential is null ? "Deleted here; no connection was left to delete it at TikTok." : "Deleted here and at TikTok.");
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ScheduleReminderName)
        {
            await ReleaseScheduledAsync(CancellationToken.None);
        }
        await ProcessAsync(CancellationToken.None);
    }

    /// <summary>The sync hour came (by the timer while active, by the reminder after a restart): scheduled runs become pending.</summary>
    private async Task ReleaseScheduledAsync(CancellationToken cancellationToken)
    {
        ScheduleTimer.Disarm();
        var released = await store.ReleaseScheduledAsync(GrainKey, cancellationToken);
        AudienceLog.ScheduledRunsReleased(logger, GrainKey, released);
        await EnsureScheduleAsync(false);
        if (released > 0)
        {
            await EnsureProcessReminderAsync(true);
            Arm(TimeSpan.Zero);
        }
    }

    private AudienceResult Refused<T>(TikTokResponse<T> response)
        => new(response.Outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled ? AudienceOutcome.TikTokUnavailable : AudienceOutcome.TikTokRefused,
            null, response.Code, $"TikTok {response.Code}: {response.Message}");

    private string Token(ConnectionSecret credential) => protector.Unprotect(credential.ProtectedToken, OrganizerId);

    private async Task<AudienceView> ViewAsync()
    {
        var history = await store.HistoryAsync(GrainKey, 50, CancellationToken.None);
        var members = await store.CountMembersAsync(GrainKey, CancellationToken.None);
        return new AudienceView(
            AudienceId, Current.AdvertiserId!, Current.Name!, Current.TikTokAudienceId, Current.Status, Current.IdSchema, Current.Exclusion,
            Current.RetentionInDays, members, Current.CreatedAt, Current.ReadyAt, Current.LastError,
            [.. history.Select(o => new AudienceRun(o.OpId, o.Action, o.Trigger, o.Status, o.Total, o.Valid, o.Uploaded, o.Removed, o.CreatedAt, o.StartedAt, o.FinishedAt, o.Error))],
            Current.Lookalikes);
    }

    private DateTimeOffset NextScheduledRun()
    {
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(_options.ScheduledHourUtc);
        return today > now ? today : today.AddDays(1);
    }
}
