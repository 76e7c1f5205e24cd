using TikTokAds.Contracts;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// One organizer's leads. A lead is stored (once per lead id) before TikTok gets its 200, then forwarded to
/// the organizer's call-back receiver with retries; a crash loses nothing, because pending leads are in
/// the store and a reminder exists while any wait.
/// </summary>
public sealed partial class LeadInboxGrain(
    [PersistentState("lead-inbox", GrainStorage.Name)] IPersistentState<LeadInboxState> state,
    ILeadStore store,
    TikTokBusinessClient tiktok,
    TokenProtector protector,
    IHttpClientFactory httpFactory,
    IOptions<LeadOptions> options,
    IOptions<TikTokOptions> tiktokOptions,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<LeadInboxGrain> logger) : Grain, ILeadInboxGrain, IRemindable
{
    private string GrainKey => this.GetPrimaryKeyString();

    public const string CallbackClient = "lead-callbacks";
    private const int MaxPulls = 20;
    private readonly LeadOptions _options = options.Value;

    private LeadInboxState Current => state.State;

    private string OrganizerId => GrainKey;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.NextDueAsync(OrganizerId, cancellationToken) is { } due)
        {
            ArmForwarding(due - time.GetUtcNow());
        }
        if (Current.Pulls.Any(p => p.Status == LeadPullStatus.Running))
        {
            ArmPolling();
        }
    }

    public async Task<LeadIntegrationView> GetIntegrationAsync()
    {
        var ads = await ListAdsAsync();
        var problems = new List<LeadProblem>();
        if (Current.TikTokProblem is { } tiktokProblem)
        {
            problems.Add(new LeadProblem(tiktokProblem.Code, tiktokProblem.Detail, FixFor(tiktokProblem.Code), null));
        }
        problems.AddRange(ads.Where(a => a.Detail is not null).Select(a => new LeadProblem(a.Status, a.Detail!, a.Fix!, a.AdId)));
        var status = problems.Select(p => p.Code).OrderBy(Severity).FirstOrDefault() ?? LeadIntegrationStatus.Ok;
        return new LeadIntegrationView(status, problems, Current.CallbackUrl, Current.ProtectedSigningSecret is not null, ads, Current.Subscriptions, Current.Pulls);
    }

    public async Task<LeadIntegrationView> SetCallbackAsync(LeadCallbackSettings settings)
    {
        state.State = Current with
        {
            CallbackUrl = settings.CallbackUrl,
            ProtectedSigningSecret = settings.KeepSecret ? Current.ProtectedSigningSecret : settings.ProtectedSigningSecret,
        };
        await state.WriteStateAsync();
        return await GetIntegrationAsync();
    }

    public async Task<LeadAdView> ConfigureAdAsync(LeadAdConfig config)
    {
        var record = new LeadAdRecord(config.AdId, config.AdvertiserId, config.FormName, config.Utm, config.TextTemplate, config.Enabled, time.GetUtcNow());
        state.State = Current with { Ads = new Dictionary<string, LeadAdRecord>(Current.Ads) { [config.AdId] = record } };
        await state.WriteStateAsync();
        // Only an advertiser this organizer may act for routes its leads here: naming another tenant's
        // account must not divert (or make ambiguous) that tenant's leads.
        var access = await Organizer().GetAdvertiserAccessAsync(config.AdvertiserId);
        if (access.State is AdvertiserAccessState.Granted or AdvertiserAccessState.ReauthorisationRequired)
        {
            await GrainFactory.LeadRouter(config.AdvertiserId).RegisterAsync(OrganizerId, null);
        }
        if (_options.PullInterval > TimeSpan.Zero)
        {
            await this.RegisterOrUpdateReminder(PullReminder, _options.PullInterval, _options.PullInterval);
        }
        return (await ViewsAsync([record]))[0];
    }

    public async Task<IReadOnlyList<LeadAdView>> ListAdsAsync() => await ViewsAsync([.. Current.Ads.Values.OrderBy(a => a.AdId, StringComparer.Ordinal)]);

    public async Task<bool> RemoveAdAsync(string adId)
    {
        if (!Current.Ads.ContainsKey(adId))
        {
            return false;
        }
        var ads = new Dictionary<string, LeadAdRecord>(Current.Ads);
        ads.Remove(adId);
        state.State = Current with { Ads = ads };
        await state.WriteStateAsync();
        if (ads.Count == 0)
        {
            await this.UnregisterReminderAsync(PullReminder);
        }
        return true;
    }

    public async Task<LeadReceipt> ReceiveAsync(IncomingLead lead)
    {
        var now = time.GetUtcNow();
        var (status, reason) = await DecideAsync(lead.AdId, lead.AdvertiserId);
        var record = new LeadRecord(
            OrganizerId, lead.LeadId, lead.AdvertiserId, lead.PageId, FormNameOf(lead.AdId, lead.PageId), lead.AdId, lead.AdName,
            lead.CampaignId, lead.CampaignName, lead.AdgroupId, lead.AdgroupName, lead.Source, lead.CreatedAt, now,
            status, reason, 0, status == LeadStatuses.Pending ? now : null, null, null, lead.ProtectedFields, lead.FieldNames, lead.PhoneSha256, lead.EmailSha256);
        if (!await store.InsertAsync(record, CancellationToken.None))
        {
            metrics.LeadReceived(lead.Source, "duplicate");
            var existing = await store.GetAsync(OrganizerId, lead.LeadId, CancellationToken.None);
            return new LeadReceipt(true, true, existing?.Status ?? status, existing?.Reason, "Already received; TikTok delivers at least once.");
        }
        metrics.LeadReceived(lead.Source, status);
        LeadLog.Received(logger, OrganizerId, lead.LeadId, lead.Source, status, reason ?? "-");
        if (status == LeadStatuses.Pending)
        {
            await EnsureForwardReminderAsync(true);
            ArmForwarding(TimeSpan.Zero);
        }
        return new LeadReceipt(true, false, status, reason, status == LeadStatuses.Pending ? "Stored; it is being forwarded." : $"Stored, not forwarded: {reason}.");
    }

    public async Task<IReadOnlyList<LeadView>> ListLeadsAsync(LeadQuery query)
        => [.. (await store.ListAsync(OrganizerId, query, CancellationToken.None)).Select(l => l.ToView())];

    public async Task<LeadDetail?> GetLeadAsync(string leadId)
    {
        var lead = await store.GetAsync(OrganizerId, leadId, CancellationToken.None);
        return lead is null ? null : new LeadDetail(lead.ToView(), await store.DeliveriesAsync(OrganizerId, leadId, CancellationToken.None));
    }

    public async Task<LeadReceipt> RetryAsync(string leadId)
    {
        var lead = await store.GetAsync(OrganizerId, leadId, CancellationToken.None);
        if (lead is null)
        {
            return new LeadReceipt(false, false, "", null, $"Lead {leadId} is unknown.");
        }
        if (lead.Status is LeadStatuses.Forwarded or LeadStatuses.Pending)
        {
            return new LeadReceipt(true, false, lead.Status, lead.Reason, lead.Status == LeadStatuses.Forwarded ? "Already forwarded." : "Already queued.");
        }
        if (lead.ProtectedFields is null)
        {
            return new LeadReceipt(true, false, lead.Status, lead.Reason, "The lead's answers are past their retention and can no longer be forwarded.");
        }
        var (status, reason) = await DecideAsync(lead.AdId, lead.AdvertiserId);
        var now = time.GetUtcNow();
        var updated = lead with { Status = status, Reason = reason, NextAttemptAt = status == LeadStatuses.Pending ? now : null, FormName = FormNameOf(lead.AdId, lead.PageId) ?? lead.FormName };
        await store.UpdateAsync(updated, null, CancellationToken.None);
        if (status == LeadStatuses.Pending)
        {
            await EnsureForwardReminderAsync(true);
            ArmForwarding(TimeSpan.Zero);
        }
        return new LeadReceipt(true, false, status, reason, status == LeadStatuses.Pending ? "Queued for forwarding." : $"Still not forwarded: {reason}.");
    }

    public async Task<IReadOnlyList<LeadFormView>> ListFormsAsync()
    {
        var counts = (await store.CountByFormAsync(OrganizerId, CancellationToken.None)).ToDictionary(c => c.PageId);
        var pages = Current.Forms.Keys.Union(counts.Keys.Where(k => k.Length > 0)).Order(StringComparer.Ordinal);
        return [.. pages.Select(page =>
        {
            var form = Current.Forms.GetValueOrDefault(page);
            var count = counts.GetValueOrDefault(page) ?? new LeadFormCount(page, null, 0, 0, 0, 0, 0);
            return new LeadFormView(page, form?.AdvertiserId, form?.Title ?? count.FormName, form?.Status, form?.SyncedAt, count.Leads, count.Forwarded, count.Pending, count.NotForwarded, count.Failed);
        })];
    }

    /// <summary>Whether a lead of this ad may be forwarded now, and if not, why.</summary>
    private async Task<(string Status, string? Reason)> DecideAsync(string? adId, string advertiserId)
    {
        var reason = AdProblem(adId, advertiserId)
            ?? ((await Organizer().GetAdvertiserAccessAsync(advertiserId)).State == AdvertiserAccessState.IntegrationDeleted ? LeadReasons.IntegrationDeleted : null)
            ?? CallbackProblem();
        return (reason is null ? LeadStatuses.Pending : LeadStatuses.NotForwarded, reason);
    }

    /// <summary>Why the ad's own settings hold its leads back: none, or one that is disabled or for another account.</summary>
    private string? AdProblem(string? adId, string advertiserId)
        => adId is null || !Current.Ads.TryGetValue(adId, out var ad) || ad.AdvertiserId != advertiserId ? LeadReasons.AdNotConfigured
            : !ad.Enabled ? LeadReasons.AdDisabled
            : null;

    private string? CallbackProblem() => Current.CallbackUrl is null ? LeadReasons.NoCallbackUrl : null;

    private async Task<IReadOnlyList<LeadAdView>> ViewsAsync(IReadOnlyList<LeadAdRecord> ads)
    {
        var access = new Dictionary<string, AdvertiserAccess>(StringComparer.Ordinal);
        foreach (var advertiserId in ads.Select(a => a.AdvertiserId).Distinct(StringComparer.Ordinal))
        {
            access[advertiserId] = await Organizer().GetAdvertiserAccessAsync(advertiserId);
        }
        return [.. ads.Select(ad =>
        {
            var (status, detail) = ad switch
            {
                { Enabled: false } => (LeadAdStatus.Disabled, (string?)null),
                _ when access[ad.AdvertiserId].State == AdvertiserAccessState.IntegrationDeleted
                    => (LeadIntegrationStatus.IntegrationDeleted, $"The integration that granted ad account {ad.AdvertiserId} was deleted."),
                _ when access[ad.AdvertiserId].State == AdvertiserAccessState.ReauthorisationRequired
                    => (LeadIntegrationStatus.ReauthorisationRequired, $"No access to ad account {ad.AdvertiserId}, or missing rights: TikTok rejected the token."),
                _ when access[ad.AdvertiserId].State == AdvertiserAccessState.Unknown
                    => (LeadIntegrationStatus.Misconfigured, $"Ad account {ad.AdvertiserId} is not granted by any TikTok authorization of this organizer."),
                _ when Current.CallbackUrl is null => (LeadIntegrationStatus.Misconfigured, "No call-back URL is set."),
                _ => (LeadAdStatus.Active, null),
            };
            return new LeadAdView(ad.AdId, ad.AdvertiserId, ad.FormName, ad.Utm, ad.TextTemplate, ad.Enabled, status, detail, detail is null ? null : FixFor(status), ad.UpdatedAt);
        })];
    }

    private string? FormNameOf(string? adId, string? pageId)
        => (adId is not null ? Current.Ads.GetValueOrDefault(adId)?.FormName : null) ?? (pageId is not null ? Current.Forms.GetValueOrDefault(pageId)?.Title : null);

    /// <summary>Seed 001's typical errors, each with its fix.</summary>
    private static string FixFor(string code) => code switch
    {
        LeadIntegrationStatus.ReauthorisationRequired => "Refresh the token: connect TikTok again (GET /oauth/start) with an admin account that has Ads, Creative and Lead Management rights, then re-enable the widget.",
        LeadIntegrationStatus.IntegrationDeleted => "Create a new TikTok integration (GET /oauth/start) and select its ad account in this ad's settings.",
        _ => "Check the widget settings (call-back URL, ad account, ad id) or set them up again.",
    };

    private static int Severity(string code) => code switch
    {
        LeadIntegrationStatus.ReauthorisationRequired => 0,
        LeadIntegrationStatus.IntegrationDeleted => 1,
        _ => 2,
    };

    private IOrganizerGrain Organizer() => GrainFactory.Organizer(OrganizerId);

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}

public static class LeadIntegrationStatus
{
    public const string Ok = "ok";
    public const string ReauthorisationRequired = "reauthorization_required";
    public const string Misconfigured = "misconfigured";
    public const string IntegrationDeleted = "integration_deleted";
}

public static class LeadAdStatus
{
    public const string Active = "active";
    public const string Disabled = "disabled";
}

public static class LeadPullStatus
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
