using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>What exclusions ask TikTok, with the organizer's token for the advertiser; answers become outcomes.</summary>
public sealed class ExclusionTikTok(TikTokBusinessClient tiktok, TokenProtector protector)
{
    private const int MaxPages = 20;
    private const int PageSize = 1000;
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(20);

    /// <summary>Every ad group of the advertiser, page by page.</summary>
    public async Task<AdGroupsResult> ListAsync(IOrganizerGrain organizer, string organizerId, string advertiserId, CancellationToken cancellationToken)
    {
        var (token, protectedToken, refusal) = await TokenAsync(organizer, organizerId, advertiserId);
        if (token is null)
        {
            return new AdGroupsResult(refusal!.Value.Outcome, [], 0, refusal.Value.Message);
        }
        var groups = new List<AdGroupView>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var response = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.ListAdGroupsAsync(token, advertiserId, page, PageSize, ct), cancellationToken);
            if (!response.IsSuccess)
            {
                await ReportRejectionAsync(organizer, advertiserId, protectedToken!, response);
                return new AdGroupsResult(Outcome(response.Outcome), [], response.Code, $"TikTok {response.Code}: {response.Message}");
            }
            groups.AddRange((response.Data?.List ?? []).Where(g => g.AdgroupId is not null).Select(g =>
                new AdGroupView(g.AdgroupId!, g.AdgroupName, g.CampaignId, g.OperationStatus, g.BuyingType == "RESERVATION_RF")));
            if (page >= (response.Data?.PageInfo?.TotalPage ?? 1))
            {
                break;
            }
        }
        return new AdGroupsResult(ExclusionOutcome.Ok, groups, 0, $"{groups.Count} ad group(s).");
    }

    /// <summary>dmp/custom_audience/apply/ with action_mode Apply (usage mode given) or Disconnect (null): null when TikTok accepted.</summary>
    public async Task<(ExclusionOutcome Outcome, int Code, string Message)?> ApplyAsync(
        IOrganizerGrain organizer, string organizerId, AudienceView audience, IReadOnlyList<string> adGroupIds, string? usageMode, CancellationToken cancellationToken)
    {
        var (token, protectedToken, refusal) = await TokenAsync(organizer, organizerId, audience.AdvertiserId);
        if (token is null)
        {
            return (refusal!.Value.Outcome, 0, refusal.Value.Message);
        }
        var request = new CustomAudienceApplyRequest
        {
            AdvertiserId = audience.AdvertiserId,
            CustomAudienceId = audience.TikTokAudienceId!,
            AdgroupIds = adGroupIds,
            ActionMode = usageMode is null ? "Disconnect" : "Apply",
            UsageMode = usageMode is null ? null : usageMode == UsageModes.Include ? "Include" : "Exclude",
        };
        var response = await TikTokCalls.WithinAsync(CallBudget, ct => tiktok.ApplyCustomAudienceAsync(token, request, ct), cancellationToken);
        await ReportRejectionAsync(organizer, audience.AdvertiserId, protectedToken!, response);
        return response.IsSuccess ? null : (Outcome(response.Outcome), response.Code, $"TikTok {response.Code}: {response.Message}");
    }

    /// <summary>A rejected token is the organizer's to mark, so every feature that uses it shows it at once.</summary>
    private static Task ReportRejectionAsync<T>(IOrganizerGrain organizer, string advertiserId, string protectedToken, TikTokResponse<T> response)
        => response.RequiresReauthorisation ? organizer.ReportAdvertiserTokenRejectedAsync(advertiserId, protectedToken, response.Code, response.Message) : Task.CompletedTask;

    private static ExclusionOutcome Outcome(TikTokOutcome outcome) => outcome switch
    {
        TikTokOutcome.Transient or TikTokOutcome.Throttled => ExclusionOutcome.TikTokUnavailable,
        TikTokOutcome.Authorization => ExclusionOutcome.ReauthorisationRequired,
        _ => ExclusionOutcome.TikTokRefused,
    };

    /// <summary>The token for the advertiser, plain and as the organizer keeps it (which names it when TikTok rejects it), or why there is none.</summary>
    private async Task<(string? Plain, string? Protected, (ExclusionOutcome Outcome, string Message)? Refusal)> TokenAsync(IOrganizerGrain organizer, string organizerId, string advertiserId)
    {
        var access = await organizer.GetAdvertiserAccessAsync(advertiserId);
        return access.State switch
        {
            AdvertiserAccessState.Granted => (protector.Unprotect(access.ProtectedToken!, organizerId), access.ProtectedToken, null),
            AdvertiserAccessState.ReauthorisationRequired => (null, null, (ExclusionOutcome.ReauthorisationRequired, $"TikTok rejected the token for ad account {advertiserId}; authorize again with GET /oauth/start (or reconnect the pixel).")),
            _ => (null, null, (ExclusionOutcome.NoAccess, $"Neither an authorization nor a connection of this organizer grants ad account {advertiserId}.")),
        };
    }
}
