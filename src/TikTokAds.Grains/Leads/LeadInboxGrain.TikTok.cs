using TikTokAds.Contracts;
using System.Globalization;
using System.Text;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Leads;

/// <summary>What the inbox asks TikTok: lead forms, LEAD webhook subscriptions, and lead-task exports.</summary>
public sealed partial class LeadInboxGrain
{
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(20);
    private static readonly string[] KnownColumns = ["lead_id", "created_time", "ad_id", "page_id", "ad_name", "campaign_id", "campaign_name", "adgroup_id", "adgroup_name"];

    public async Task<LeadFormsResult> SyncFormsAsync(string? advertiserId)
    {
        var advertisers = advertiserId is not null
            ? [advertiserId]
            : (await Organizer().ListAdAccountsAsync()).Select(a => a.AdvertiserId).Union(Current.Ads.Values.Select(a => a.AdvertiserId)).Distinct(StringComparer.Ordinal).ToList();
        var forms = new Dictionary<string, LeadFormRecord>(Current.Forms);
        var synced = 0;
        string? failure = null;
        foreach (var advertiser in advertisers)
        {
            var (token, refusal) = await TokenForAsync(advertiser);
            if (token is null)
            {
                failure = refusal!.Message;
                continue;
            }
            for (var page = 1; page <= 50; page++)
            {
                var response = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.GetLeadFormsAsync(token, advertiser, page, 100, ct));
                if (!response.IsSuccess)
                {
                    failure = await NoteTikTokRefusalAsync(response.Code, response.Message, response.Outcome);
                    break;
                }
                foreach (var form in (response.Data?.List ?? []).Where(f => f.PageId is not null))
                {
                    forms[form.PageId!] = new LeadFormRecord(form.PageId!, advertiser, form.Title, form.Status, time.GetUtcNow());
                    synced++;
                }
                if (page >= (response.Data?.PageInfo?.TotalPage ?? 1))
                {
                    break;
                }
            }
        }
        state.State = Current with { Forms = forms, TikTokProblem = failure is null ? null : Current.TikTokProblem };
        await state.WriteStateAsync();
        return new LeadFormsResult(failure is null, synced, await ListFormsAsync(), failure ?? $"Synced {synced} lead form(s).");
    }

    public async Task<LeadSubscribeResult> SubscribeAsync(string advertiserId, string? pageId, string callbackUrl)
    {
        var app = tiktokOptions.Value;
        if (!app.HasApp)
        {
            return new LeadSubscribeResult(LeadTikTokOutcome.NotConfigured, null, 0, TikTokOptions.NoAppMessage);
        }
        var (token, refusal) = await TokenForAsync(advertiserId);
        if (token is null)
        {
            return new LeadSubscribeResult(refusal!.Outcome, null, 0, refusal.Message);
        }
        var response = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.SubscribeLeadsAsync(new LeadSubscriptionRequest
        {
            AppId = app.AppId,
            Secret = app.AppSecret,
            CallbackUrl = callbackUrl,
            SubscriptionDetail = new LeadSubscriptionDetail { AccessToken = token, AdvertiserId = advertiserId, PageId = pageId },
        }, ct));
        if (!response.IsSuccess || response.Data?.SubscriptionId is not { } subscriptionId)
        {
            var message = await NoteTikTokRefusalAsync(response.Code, response.Message, response.Outcome);
            return new LeadSubscribeResult(OutcomeOf(response.Outcome, response.Code), null, response.Code, message);
        }
        var subscription = new LeadSubscriptionView(subscriptionId, advertiserId, pageId, callbackUrl, time.GetUtcNow());
        state.State = Current with { Subscriptions = [.. Current.Subscriptions.Where(s => s.AdvertiserId != advertiserId || s.PageId != pageId), subscription], TikTokProblem = null };
        await state.WriteStateAsync();
        await GrainFactory.LeadRouter(advertiserId).RegisterAsync(OrganizerId, pageId);
        return new LeadSubscribeResult(LeadTikTokOutcome.Done, subscription, 0, "TikTok will deliver this advertiser's leads to the webhook.");
    }

    public async Task<LeadPullResult> PullAsync(string advertiserId, string? pageId, string? adId)
    {
        var (token, refusal) = await TokenForAsync(advertiserId);
        if (token is null)
        {
            return new LeadPullResult(refusal!.Outcome, null, 0, refusal.Message);
        }
        var response = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = advertiserId, PageId = pageId, AdId = adId }, ct));
        if (!response.IsSuccess || response.Data?.TaskId is not { } taskId)
        {
            var message = await NoteTikTokRefusalAsync(response.Code, response.Message, response.Outcome);
            return new LeadPullResult(OutcomeOf(response.Outcome, response.Code), null, response.Code, message);
        }
        var pull = new LeadPullView(taskId, advertiserId, pageId, adId, LeadPullStatus.Running, time.GetUtcNow(), null, 0, null);
        state.State = Current with { Pulls = [.. Current.Pulls.TakeLast(MaxPulls - 1), pull] };
        await state.WriteStateAsync();
        ArmPolling();
        return new LeadPullResult(LeadTikTokOutcome.Done, pull, 0, "TikTok is preparing the export; its leads are imported when it is ready.");
    }

    /// <summary>The periodic fallback: forms re-synced, and every enabled ad's leads pulled (duplicates are dropped on import).</summary>
    private async Task PullConfiguredAdsAsync()
    {
        var ads = Current.Ads.Values.Where(a => a.Enabled).ToList();
        if (ads.Count == 0)
        {
            return;
        }
        await SyncFormsAsync(null);
        foreach (var ad in ads.Where(a => !Current.Pulls.Any(p => p.Status == LeadPullStatus.Running && p.AdId == a.AdId)))
        {
            await PullAsync(ad.AdvertiserId, null, ad.AdId);
        }
    }

    private void ArmPolling()
    {
        _pollTimer ??= this.RegisterGrainTimer(PollPullsAsync, _options.PullPollInterval, _options.PullPollInterval);
    }

    private async Task PollPullsAsync(CancellationToken cancellationToken)
    {
        var running = Current.Pulls.Where(p => p.Status == LeadPullStatus.Running).ToList();
        foreach (var pull in running)
        {
            var finished = await PollAsync(pull);
            if (finished != pull)
            {
                state.State = Current with { Pulls = [.. Current.Pulls.Select(p => p.TaskId == pull.TaskId ? finished : p)] };
                await state.WriteStateAsync(cancellationToken);
            }
        }
        if (!Current.Pulls.Any(p => p.Status == LeadPullStatus.Running))
        {
            _pollTimer?.Dispose();
            _pollTimer = null;
        }
    }

    private async Task<LeadPullView> PollAsync(LeadPullView pull)
    {
        var now = time.GetUtcNow();
        if (now - pull.StartedAt > _options.PullTimeout)
        {
            return pull with { Status = LeadPullStatus.Failed, FinishedAt = now, Error = "TikTok did not finish the export in time." };
        }
        var (token, refusal) = await TokenForAsync(pull.AdvertiserId);
        if (token is null)
        {
            return pull with { Status = LeadPullStatus.Failed, FinishedAt = now, Error = refusal!.Message };
        }
        var status = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = pull.AdvertiserId, TaskId = pull.TaskId }, ct));
        if (!status.IsSuccess)
        {
            return status.Outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled
                ? pull
                : pull with { Status = LeadPullStatus.Failed, FinishedAt = now, Error = await NoteTikTokRefusalAsync(status.Code, status.Message, status.Outcome) };
        }
        switch (status.Data?.Status)
        {
            case "FAILED":
                return pull with { Status = LeadPullStatus.Failed, FinishedAt = now, Error = "TikTok reported the export as FAILED." };
            case not "SUCCEED":
                return pull;
        }
        var file = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.DownloadLeadTaskAsync(token, pull.AdvertiserId, pull.TaskId, ct));
        if (!file.IsSuccess || file.Data is null)
        {
            return file.Outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled ? pull : pull with { Status = LeadPullStatus.Failed, FinishedAt = now, Error = $"Download refused: TikTok {file.Code}: {file.Message}" };
        }
        var imported = 0;
        foreach (var row in LeadCsv.Read(Encoding.UTF8.GetString(file.Data)))
        {
            if (row.GetValueOrDefault("lead_id") is not { Length: > 0 } leadId)
            {
                continue;
            }
            var answers = row.Where(c => !KnownColumns.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            var created = DateTimeOffset.TryParse(row.GetValueOrDefault("created_time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : now;
            var lead = LeadAnswers.Incoming(OrganizerId, protector, leadId, pull.AdvertiserId, Blank(row.GetValueOrDefault("page_id")) ?? pull.PageId,
                Blank(row.GetValueOrDefault("ad_id")) ?? pull.AdId, Blank(row.GetValueOrDefault("ad_name")), Blank(row.GetValueOrDefault("campaign_id")),
                Blank(row.GetValueOrDefault("campaign_name")), Blank(row.GetValueOrDefault("adgroup_id")), Blank(row.GetValueOrDefault("adgroup_name")),
                created, LeadSources.Pull, answers);
            if (!(await ReceiveAsync(lead)).Duplicate)
            {
                imported++;
            }
        }
        return pull with { Status = LeadPullStatus.Done, FinishedAt = time.GetUtcNow(), Imported = imported };
    }

    private sealed record Refusal(LeadTikTokOutcome Outcome, string Message);

    /// <summary>The decrypted token of the authorization (or connection) that grants the advertiser.</summary>
    private async Task<(string? Token, Refusal? Refusal)> TokenForAsync(string advertiserId)
    {
        var access = await Organizer().GetAdvertiserAccessAsync(advertiserId);
        return access.State switch
        {
            AdvertiserAccessState.Granted => (protector.Unprotect(access.ProtectedToken!, OrganizerId), null),
            AdvertiserAccessState.ReauthorisationRequired => (null, new Refusal(LeadTikTokOutcome.Reauthorise, $"No access to ad account {advertiserId}: TikTok rejected the token. {FixFor(LeadIntegrationStatus.ReauthorisationRequired)}")),
            AdvertiserAccessState.IntegrationDeleted => (null, new Refusal(LeadTikTokOutcome.NoAccess, $"The integration of ad account {advertiserId} was deleted. {FixFor(LeadIntegrationStatus.IntegrationDeleted)}")),
            _ => (null, new Refusal(LeadTikTokOutcome.NoAccess, $"No TikTok authorization of this organizer grants ad account {advertiserId}. Connect it with GET /oauth/start.")),
        };
    }

    /// <summary>Records TikTok's refusal where the integration status shows it; returns the message for the caller.</summary>
    private async Task<string> NoteTikTokRefusalAsync(int code, string message, TikTokOutcome outcome)
    {
        var text = $"TikTok {code}: {message}";
        if (outcome == TikTokOutcome.Authorization)
        {
            state.State = Current with { TikTokProblem = new LeadTikTokProblem(LeadIntegrationStatus.ReauthorisationRequired, code, $"No access to the account or missing rights ({text}).", time.GetUtcNow()) };
            await state.WriteStateAsync();
        }
        return text;
    }

    private static LeadTikTokOutcome OutcomeOf(TikTokOutcome outcome, int code) => outcome switch
    {
        TikTokOutcome.Authorization when TikTokResponseClassifier.RequiresReauthorisation(code) => LeadTikTokOutcome.Reauthorise,
        TikTokOutcome.Authorization => LeadTikTokOutcome.NoAccess,
        TikTokOutcome.InvalidRequest => LeadTikTokOutcome.Refused,
        _ => LeadTikTokOutcome.Unavailable,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
