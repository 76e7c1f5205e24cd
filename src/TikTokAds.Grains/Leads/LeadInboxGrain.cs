using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// One organizer's leads. A lead is stored (once per lead id) before TikTok gets its 200, then forwarded to
/// the organizer's call-back receiver with retries; a crash loses nothing, because pending leads are in
/// the store and a reminder exists while any wait.
/// </summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class LeadInboxGrain(
    [PersistentState("lead-inbox", GrainStorage.Name)] IPersistentState<LeadInboxState> state,
    ILeadStore store,
    LeadForwarder forwarder,
    LeadTikTok tiktok,
    IOptions<LeadOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<LeadInboxGrain> logger) : Grain, ILeadInboxGrain, IRemindable
{
    private const string ForwardReminder = "forward";
    private const string PullReminder = "pull";
    private static readonly TimeSpan ForwardReminderPeriod = TimeSpan.FromMinutes(1);
    private readonly LeadOptions _options = options.Value;
    private WakeUp? _forward;
    private WakeUp? _poll;

    private LeadInboxState Current => state.State;
    private string OrganizerId => this.GetPrimaryKeyString();
    private IOrganizerGrain Organizer => GrainFactory.Organizer(OrganizerId);
    private WakeUp Forward => _forward ??= new WakeUp(time, () => this.RegisterGrainTimer(ForwardDueAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
    private WakeUp Poll => _poll ??= new WakeUp(time, () => this.RegisterGrainTimer(PollPullsAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.NextDueAsync(OrganizerId, cancellationToken) is { } due)
        {
            Forward.Within(due - time.GetUtcNow());
        }
        if (Current.Pulls.Any(p => p.Status == LeadPullStatus.Running))
        {
            Poll.Within(_options.PullPollInterval);
        }
    }

    public async Task<LeadIntegrationView> GetIntegrationAsync(CancellationToken cancellationToken = default)
        => LeadIntegration.View(Current, await ListAdsAsync(cancellationToken));

    public async Task<LeadIntegrationView> SetCallbackAsync(LeadCallbackSettings settings, CancellationToken cancellationToken = default)
    {
        await WriteAsync(Current with { CallbackUrl = settings.CallbackUrl, ProtectedSigningSecret = settings.KeepSecret ? Current.ProtectedSigningSecret : settings.ProtectedSigningSecret }, cancellationToken);
        return await GetIntegrationAsync(cancellationToken);
    }

    public async Task<LeadAdView> ConfigureAdAsync(LeadAdConfig config, CancellationToken cancellationToken = default)
    {
        var ad = new LeadAdRecord(config.AdId, config.AdvertiserId, config.FormName, config.Utm, config.TextTemplate, config.Enabled, time.GetUtcNow());
        await WriteAsync(Current with { Ads = new Dictionary<string, LeadAdRecord>(Current.Ads) { [ad.AdId] = ad } }, cancellationToken);
        // Only an advertiser this organizer may act for routes its leads here: naming another tenant's
        // account must not divert (or make ambiguous) that tenant's leads.
        var access = await AccessAsync(ad.AdvertiserId);
        if (access is AdvertiserAccessState.Granted or AdvertiserAccessState.ReauthorisationRequired)
        {
            await GrainFactory.LeadRouter(ad.AdvertiserId).RegisterAsync(OrganizerId, null, cancellationToken);
        }
        if (_options.PullInterval > TimeSpan.Zero)
        {
            await this.RegisterOrUpdateReminder(PullReminder, _options.PullInterval, _options.PullInterval, cancellationToken);
        }
        return LeadIntegration.Ad(Current, ad, access);
    }

    public Task<IReadOnlyList<LeadAdView>> ListAdsAsync(CancellationToken cancellationToken = default) => LeadIntegration.AdsAsync(Current, AccessAsync);

    public async Task<bool> RemoveAdAsync(string adId, CancellationToken cancellationToken = default)
    {
        if (!Current.Ads.ContainsKey(adId))
        {
            return false;
        }
        await WriteAsync(Current with { Ads = Current.Ads.Where(a => a.Key != adId).ToDictionary() }, cancellationToken);
        if (Current.Ads.Count == 0)
        {
            await this.UnregisterReminderAsync(PullReminder);
        }
        return true;
    }

    public async Task<LeadReceipt> ReceiveAsync(IncomingLead lead, CancellationToken cancellationToken = default)
    {
        var record = LeadIntake.Record(OrganizerId, lead, Current, await HeldBackAsync(lead.AdId, lead.AdvertiserId), time.GetUtcNow());
        await QueueAsync(record, cancellationToken);
        if (!await store.InsertAsync(record, cancellationToken))
        {
            metrics.LeadReceived(lead.Source, "duplicate");
            return LeadIntake.Duplicate(await store.GetAsync(OrganizerId, lead.LeadId, cancellationToken), record);
        }
        metrics.LeadReceived(lead.Source, record.Status);
        // One-way: purchases from now on are matched against this lead too.
        _ = GrainFactory.LeadConversions(OrganizerId).LeadArrivedAsync();
        LeadLog.Received(logger, OrganizerId, lead.LeadId, lead.Source, record.Status, record.Reason ?? "-");
        return LeadIntake.Stored(record);
    }

    public async Task<IReadOnlyList<LeadView>> ListLeadsAsync(LeadQuery query, CancellationToken cancellationToken = default)
        => [.. (await store.ListAsync(OrganizerId, query, cancellationToken)).Select(l => l.ToView())];

    public async Task<LeadDetail?> GetLeadAsync(string leadId, CancellationToken cancellationToken = default)
        => await store.GetAsync(OrganizerId, leadId, cancellationToken) is { } lead
            ? new LeadDetail(lead.ToView(), await store.DeliveriesAsync(OrganizerId, leadId, cancellationToken))
            : null;

    public async Task<LeadReceipt> RetryAsync(string leadId, CancellationToken cancellationToken = default)
    {
        var lead = await store.GetAsync(OrganizerId, leadId, cancellationToken);
        if (LeadIntake.RetryRefusal(leadId, lead) is { } refusal)
        {
            return refusal;
        }
        var requeued = LeadIntake.Requeue(lead!, Current, await HeldBackAsync(lead!.AdId, lead.AdvertiserId), time.GetUtcNow());
        await QueueAsync(requeued, cancellationToken);
        await store.UpdateAsync(requeued, null, cancellationToken);
        return LeadIntake.Requeued(requeued);
    }

    public async Task<LeadFormsResult> SyncFormsAsync(string? advertiserId, CancellationToken cancellationToken = default)
    {
        var synced = await tiktok.SyncFormsAsync(Organizer, OrganizerId, Current, advertiserId, cancellationToken);
        await WriteAsync(Current with { Forms = synced.Forms, TikTokProblem = synced.Problem }, cancellationToken);
        return new LeadFormsResult(synced.Failure is null, synced.Synced, await ListFormsAsync(cancellationToken), synced.Failure ?? $"Synced {synced.Synced} lead form(s).");
    }

    public async Task<IReadOnlyList<LeadFormView>> ListFormsAsync(CancellationToken cancellationToken = default)
        => LeadIntegration.Forms(Current, await store.CountByFormAsync(OrganizerId, cancellationToken));

    public async Task<LeadSubscribeResult> SubscribeAsync(string advertiserId, string? pageId, string callbackUrl, CancellationToken cancellationToken = default)
    {
        var subscribed = await tiktok.SubscribeAsync(Organizer, OrganizerId, Current, advertiserId, pageId, callbackUrl, cancellationToken);
        await WriteAsync(Current with { Subscriptions = subscribed.Subscriptions, TikTokProblem = subscribed.Problem }, cancellationToken);
        if (subscribed.Result.Outcome == LeadTikTokOutcome.Done)
        {
            await GrainFactory.LeadRouter(advertiserId).RegisterAsync(OrganizerId, pageId, cancellationToken);
        }
        return subscribed.Result;
    }

    public async Task<LeadPullResult> PullAsync(string advertiserId, string? pageId, string? adId, CancellationToken cancellationToken = default)
    {
        var started = await tiktok.StartPullAsync(Organizer, OrganizerId, Current, advertiserId, pageId, adId, cancellationToken);
        await WriteAsync(Current with { Pulls = started.Pulls, TikTokProblem = started.Problem }, cancellationToken);
        if (started.Result.Outcome == LeadTikTokOutcome.Done)
        {
            Poll.Within(_options.PullPollInterval);
        }
        return started.Result;
    }

    // Orleans delivers ticks through the overload with a token; this one stays for callers that have none.
    public Task ReceiveReminder(string reminderName, TickStatus status) => ReceiveReminder(reminderName, status, CancellationToken.None);

    public async Task ReceiveReminder(string reminderName, TickStatus status, CancellationToken cancellationToken)
    {
        if (reminderName == ForwardReminder)
        {
            await ForwardDueAsync(cancellationToken);
        }
        else if (reminderName == PullReminder && Current.Ads.Values.Any(a => a.Enabled))
        {
            // The fallback for missed webhooks: forms synced again, and every enabled ad's leads pulled.
            await SyncFormsAsync(null, cancellationToken);
            foreach (var ad in LeadTikTok.AdsToPull(Current))
            {
                await PullAsync(ad.AdvertiserId, null, ad.AdId, cancellationToken);
            }
        }
    }

    private async Task ForwardDueAsync(CancellationToken cancellationToken)
    {
        Forward.Disarm();
        if (await forwarder.ForwardDueAsync(OrganizerId, Current, cancellationToken) is { } next)
        {
            Forward.Within(next - time.GetUtcNow());
        }
        else if (Current.ForwardReminderOn)
        {
            await ForwardReminderSwitch(cancellationToken).SetAsync(false);
        }
        else
        {
            // Off in the state yet maybe registered: left by a failed unregister, or from before the state said so.
            await this.UnregisterReminderAsync(ForwardReminder);
        }
    }

    private async Task PollPullsAsync(CancellationToken cancellationToken)
    {
        // Armed again first, so a poll that throws is tried again.
        Poll.Disarm();
        Poll.Within(_options.PullPollInterval);
        var polled = await tiktok.PollAsync(Organizer, OrganizerId, Current, lead => ReceiveAsync(lead, cancellationToken), cancellationToken);
        await WriteAsync(Current with { Pulls = polled.Pulls, TikTokProblem = polled.Problem }, cancellationToken);
        if (!polled.Pulls.Any(p => p.Status == LeadPullStatus.Running))
        {
            Poll.Disarm();
        }
    }

    private async Task<string> AccessAsync(string advertiserId) => (await Organizer.GetAdvertiserAccessAsync(advertiserId)).State;

    private Task<string?> HeldBackAsync(string? adId, string advertiserId) => LeadHoldBack.ReasonAsync(Current, adId, advertiserId, () => AccessAsync(advertiserId));

    /// <summary>
    /// Called before a lead is written. A pending one gets the reminder first, so no stored lead ever waits without
    /// one, and is forwarded as soon as this turn ends (by then the lead is written).
    /// </summary>
    private async Task QueueAsync(LeadRecord lead, CancellationToken cancellationToken)
    {
        if (lead.Status == LeadStatuses.Pending)
        {
            await ForwardReminderSwitch(cancellationToken).SetAsync(true);
            Forward.Within(TimeSpan.Zero);
        }
    }

    private ReminderSwitch ForwardReminderSwitch(CancellationToken cancellationToken) => this.ReminderSwitch(
        ForwardReminder, () => ForwardReminderPeriod, ForwardReminderPeriod, () => Current.ForwardReminderOn, on => WriteAsync(Current with { ForwardReminderOn = on }, cancellationToken));

    /// <summary>The one write of a state change; a change that changed nothing is not written.</summary>
    private async Task WriteAsync(LeadInboxState next, CancellationToken cancellationToken)
    {
        if (next != Current)
        {
            await state.WriteAsync(next, cancellationToken);
        }
    }
}
