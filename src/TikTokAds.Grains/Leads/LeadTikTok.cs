using System.Text;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// What a lead inbox asks TikTok: lead forms, LEAD webhook subscriptions and lead-task exports. It writes no
/// state: each answer carries the inbox's new forms, subscriptions or pulls and the TikTok problem to show (a
/// refusal of the token or its rights stays shown until a success clears it), for the grain to write at once.
/// </summary>
public sealed class LeadTikTok(TikTokBusinessClient tiktok, TokenProtector protector, IOptions<TikTokOptions> tiktokOptions, IOptions<LeadOptions> options, TimeProvider time)
{
    private const int MaxPulls = 20;
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(20);
    private readonly LeadOptions _options = options.Value;

    /// <summary>The forms of one advertiser, or of every advertiser the organizer has or configured ads for.</summary>
    public async Task<LeadFormsSynced> SyncFormsAsync(IOrganizerGrain organizer, string organizerId, LeadInboxState inbox, string? advertiserId, CancellationToken cancellationToken)
    {
        var advertisers = advertiserId is not null
            ? [advertiserId]
            : (await organizer.ListAdAccountsAsync()).Select(a => a.AdvertiserId).Union(inbox.Ads.Values.Select(a => a.AdvertiserId)).Distinct(StringComparer.Ordinal).ToList();
        var forms = new Dictionary<string, LeadFormRecord>(inbox.Forms);
        var synced = 0;
        string? failure = null;
        var problem = inbox.TikTokProblem;
        foreach (var advertiser in advertisers)
        {
            var (token, refusal) = await TokenForAsync(organizer, organizerId, advertiser);
            if (token is null)
            {
                failure = refusal!.Message;
                continue;
            }
            for (var page = 1; page <= 50; page++)
            {
                var response = await CallAsync(ct => tiktok.GetLeadFormsAsync(token, advertiser, page, 100, ct), cancellationToken);
                if (!response.IsSuccess)
                {
                    (failure, problem) = Refused(response, problem);
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
        return new LeadFormsSynced(forms, synced, failure, failure is null ? null : problem);
    }

    public async Task<LeadSubscribed> SubscribeAsync(
        IOrganizerGrain organizer, string organizerId, LeadInboxState inbox, string advertiserId, string? pageId, string callbackUrl, CancellationToken cancellationToken)
    {
        var app = tiktokOptions.Value;
        if (!app.HasApp)
        {
            return new LeadSubscribed(new LeadSubscribeResult(LeadTikTokOutcome.NotConfigured, null, 0, TikTokOptions.NoAppMessage), inbox.Subscriptions, inbox.TikTokProblem);
        }
        var (token, refusal) = await TokenForAsync(organizer, organizerId, advertiserId);
        if (token is null)
        {
            return new LeadSubscribed(new LeadSubscribeResult(refusal!.Outcome, null, 0, refusal.Message), inbox.Subscriptions, inbox.TikTokProblem);
        }
        var response = await CallAsync(ct => tiktok.SubscribeLeadsAsync(new LeadSubscriptionRequest
        {
            AppId = app.AppId,
            Secret = app.AppSecret,
            CallbackUrl = callbackUrl,
            SubscriptionDetail = new LeadSubscriptionDetail { AccessToken = token, AdvertiserId = advertiserId, PageId = pageId },
        }, ct), cancellationToken);
        if (!response.IsSuccess || response.Data?.SubscriptionId is not { } subscriptionId)
        {
            var (message, problem) = Refused(response, inbox.TikTokProblem);
            return new LeadSubscribed(new LeadSubscribeResult(OutcomeOf(response.Outcome, response.Code), null, response.Code, message), inbox.Subscriptions, problem);
        }
        var subscription = new LeadSubscriptionView(subscriptionId, advertiserId, pageId, callbackUrl, time.GetUtcNow());
        return new LeadSubscribed(
            new LeadSubscribeResult(LeadTikTokOutcome.Done, subscription, 0, "TikTok will deliver this advertiser's leads to the webhook."),
            [.. inbox.Subscriptions.Where(s => s.AdvertiserId != advertiserId || s.PageId != pageId), subscription],
            null);
    }

    /// <summary>Starts a lead-task export; it runs on at TikTok and is polled by <see cref="PollAsync"/>.</summary>
    public async Task<LeadPullStarted> StartPullAsync(
        IOrganizerGrain organizer, string organizerId, LeadInboxState inbox, string advertiserId, string? pageId, string? adId, CancellationToken cancellationToken)
    {
        var (token, refusal) = await TokenForAsync(organizer, organizerId, advertiserId);
        if (token is null)
        {
            return new LeadPullStarted(new LeadPullResult(refusal!.Outcome, null, 0, refusal.Message), inbox.Pulls, inbox.TikTokProblem);
        }
        var response = await CallAsync(ct => tiktok.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = advertiserId, PageId = pageId, AdId = adId }, ct), cancellationToken);
        if (!response.IsSuccess || response.Data?.TaskId is not { } taskId)
        {
            var (message, problem) = Refused(response, inbox.TikTokProblem);
            return new LeadPullStarted(new LeadPullResult(OutcomeOf(response.Outcome, response.Code), null, response.Code, message), inbox.Pulls, problem);
        }
        var pull = new LeadPullView(taskId, advertiserId, pageId, adId, LeadPullStatus.Running, time.GetUtcNow(), null, 0, null);
        return new LeadPullStarted(
            new LeadPullResult(LeadTikTokOutcome.Done, pull, 0, "TikTok is preparing the export; its leads are imported when it is ready."),
            [.. inbox.Pulls.TakeLast(MaxPulls - 1), pull],
            inbox.TikTokProblem);
    }

    /// <summary>Polls each running export once; a finished one's leads go through <paramref name="receive"/> (duplicates are dropped there).</summary>
    public async Task<LeadPullsPolled> PollAsync(
        IOrganizerGrain organizer, string organizerId, LeadInboxState inbox, Func<IncomingLead, Task<LeadReceipt>> receive, CancellationToken cancellationToken)
    {
        var pulls = inbox.Pulls.ToList();
        var problem = inbox.TikTokProblem;
        for (var i = 0; i < pulls.Count; i++)
        {
            if (pulls[i].Status == LeadPullStatus.Running)
            {
                (pulls[i], problem) = await PollAsync(organizer, organizerId, pulls[i], problem, receive, cancellationToken);
            }
        }
        return new LeadPullsPolled(pulls.SequenceEqual(inbox.Pulls) ? inbox.Pulls : pulls, problem);
    }

    /// <summary>The periodic fallback's pulls: every enabled ad without an export already running.</summary>
    public static IReadOnlyList<LeadAdRecord> AdsToPull(LeadInboxState inbox)
        => [.. inbox.Ads.Values.Where(a => a.Enabled && !inbox.Pulls.Any(p => p.Status == LeadPullStatus.Running && p.AdId == a.AdId))];

    private async Task<(LeadPullView Pull, LeadTikTokProblem? Problem)> PollAsync(
        IOrganizerGrain organizer, string organizerId, LeadPullView pull, LeadTikTokProblem? problem, Func<IncomingLead, Task<LeadReceipt>> receive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - pull.StartedAt > _options.PullTimeout)
        {
            return (Failed(pull, now, "TikTok did not finish the export in time."), problem);
        }
        var (token, refusal) = await TokenForAsync(organizer, organizerId, pull.AdvertiserId);
        if (token is null)
        {
            return (Failed(pull, now, refusal!.Message), problem);
        }
        var status = await CallAsync(ct => tiktok.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = pull.AdvertiserId, TaskId = pull.TaskId }, ct), cancellationToken);
        if (!status.IsSuccess)
        {
            if (Passing(status.Outcome))
            {
                return (pull, problem);
            }
            var (message, noted) = Refused(status, problem);
            return (Failed(pull, now, message), noted);
        }
        switch (status.Data?.Status)
        {
            case "FAILED":
                return (Failed(pull, now, "TikTok reported the export as FAILED."), problem);
            case not "SUCCEED":
                return (pull, problem);
        }
        var file = await CallAsync(ct => tiktok.DownloadLeadTaskAsync(token, pull.AdvertiserId, pull.TaskId, ct), cancellationToken);
        if (!file.IsSuccess || file.Data is null)
        {
            return (Passing(file.Outcome) ? pull : Failed(pull, now, $"Download refused: TikTok {file.Code}: {file.Message}"), problem);
        }
        var imported = 0;
        foreach (var lead in LeadTaskImport.Leads(Encoding.UTF8.GetString(file.Data), pull, organizerId, protector, now))
        {
            if (!(await receive(lead)).Duplicate)
            {
                imported++;
            }
        }
        return (pull with { Status = LeadPullStatus.Done, FinishedAt = time.GetUtcNow(), Imported = imported }, problem);
    }

    private sealed record Refusal(LeadTikTokOutcome Outcome, string Message);

    /// <summary>The decrypted token of the authorization (or connection) that grants the advertiser.</summary>
    private async Task<(string? Token, Refusal? Refusal)> TokenForAsync(IOrganizerGrain organizer, string organizerId, string advertiserId)
    {
        var access = await organizer.GetAdvertiserAccessAsync(advertiserId);
        return access.State switch
        {
            AdvertiserAccessState.Granted => (protector.Unprotect(access.ProtectedToken!, organizerId), null),
            AdvertiserAccessState.ReauthorisationRequired => (null, new Refusal(LeadTikTokOutcome.Reauthorise, $"No access to ad account {advertiserId}: TikTok rejected the token. {LeadIntegration.FixFor(LeadIntegrationStatus.ReauthorisationRequired)}")),
            AdvertiserAccessState.IntegrationDeleted => (null, new Refusal(LeadTikTokOutcome.NoAccess, $"The integration of ad account {advertiserId} was deleted. {LeadIntegration.FixFor(LeadIntegrationStatus.IntegrationDeleted)}")),
            _ => (null, new Refusal(LeadTikTokOutcome.NoAccess, $"No TikTok authorization of this organizer grants ad account {advertiserId}. Connect it with GET /oauth/start.")),
        };
    }

    /// <summary>TikTok's refusal as a message, and the problem to show: a refusal of the token or its rights replaces it.</summary>
    private (string Message, LeadTikTokProblem? Problem) Refused<T>(TikTokResponse<T> response, LeadTikTokProblem? problem)
    {
        var text = $"TikTok {response.Code}: {response.Message}";
        return response.Outcome == TikTokOutcome.Authorization
            ? (text, new LeadTikTokProblem(LeadIntegrationStatus.ReauthorisationRequired, response.Code, $"No access to the account or missing rights ({text}).", time.GetUtcNow()))
            : (text, problem);
    }

    /// <summary>An outage or throttling passes: the export is polled again.</summary>
    private static bool Passing(TikTokOutcome outcome) => outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled;

    private static LeadPullView Failed(LeadPullView pull, DateTimeOffset at, string error) => pull with { Status = LeadPullStatus.Failed, FinishedAt = at, Error = error };

    private static LeadTikTokOutcome OutcomeOf(TikTokOutcome outcome, int code) => outcome switch
    {
        TikTokOutcome.Authorization when TikTokResponseClassifier.RequiresReauthorisation(code) => LeadTikTokOutcome.Reauthorise,
        TikTokOutcome.Authorization => LeadTikTokOutcome.NoAccess,
        TikTokOutcome.InvalidRequest => LeadTikTokOutcome.Refused,
        _ => LeadTikTokOutcome.Unavailable,
    };

    /// <summary>A call within the budget of a grain turn, given up when the grain call itself is cancelled.</summary>
    private static Task<TikTokResponse<T>> CallAsync<T>(Func<CancellationToken, Task<TikTokResponse<T>>> call, CancellationToken cancellationToken)
        => TikTokCalls.WithinAsync(CallBudget, call, cancellationToken);
}

public sealed record LeadFormsSynced(IReadOnlyDictionary<string, LeadFormRecord> Forms, int Synced, string? Failure, LeadTikTokProblem? Problem);

public sealed record LeadSubscribed(LeadSubscribeResult Result, IReadOnlyList<LeadSubscriptionView> Subscriptions, LeadTikTokProblem? Problem);

public sealed record LeadPullStarted(LeadPullResult Result, IReadOnlyList<LeadPullView> Pulls, LeadTikTokProblem? Problem);

public sealed record LeadPullsPolled(IReadOnlyList<LeadPullView> Pulls, LeadTikTokProblem? Problem);
