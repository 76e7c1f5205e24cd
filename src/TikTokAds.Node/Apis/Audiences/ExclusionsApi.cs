using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>Exclusion lists: the organizer's ad groups, and its audiences applied to them (usually to exclude ticket holders).</summary>
internal static partial class ExclusionsApi
{
    private const int MaxAdGroups = 100;

    public static RouteGroupBuilder MapExclusionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/ad-groups", ListAdGroupsAsync).WithSummary("The advertiser's ad groups at TikTok, through the organizer's authorization or connection.");
        api.MapGet("/audiences/{audienceId}/exclusions", GetAsync).WithSummary("The ad groups this audience is applied to, and how (EXCLUDE or INCLUDE).");
        api.MapPost("/audiences/{audienceId}/exclusions", ApplyAsync).WithSummary("Applies the audience to ad groups of its advertiser; usage_mode EXCLUDE (default) or INCLUDE.");
        api.MapDelete("/audiences/{audienceId}/exclusions", DisconnectAsync).WithSummary("Disconnects the audience from the listed ad groups.");
        return api;
    }

    public static async Task<Results<Ok<AdGroupsResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> ListAdGroupsAsync(string? advertiser_id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (advertiser_id is null || !Digits().IsMatch(advertiser_id))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["advertiser_id"] = ["The TikTok advertiser id is required: 1 to 32 digits."] });
        }
        var result = await grains.Exclusions(user.OrganizerId()).ListAdGroupsAsync(advertiser_id);
        if (result.Outcome == ExclusionOutcome.Ok)
        {
            return TypedResults.Ok(new AdGroupsResponse(advertiser_id, [.. result.AdGroups.Select(g => new AdGroupResponse(g.AdGroupId, g.Name, g.CampaignId, g.Status, g.ReachAndFrequency))]));
        }
        var failed = Failure(result.Outcome, result.Code, result.Message);
        return failed.Retry is not null ? failed.Retry : failed.Problem!;
    }

    public static async Task<Results<Ok<ExclusionsResponse>, ProblemHttpResult, ProblemWithRetryAfter>> GetAsync(string audienceId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var result = await grains.Exclusions(user.OrganizerId()).GetAsync(audienceId);
        if (result.Outcome == ExclusionOutcome.Ok)
        {
            return TypedResults.Ok(ToResponse(audienceId, result));
        }
        var failed = Failure(result.Outcome, result.Code, result.Message);
        return failed.Retry is not null ? failed.Retry : failed.Problem!;
    }

    public static async Task<Results<Ok<ExclusionsResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> ApplyAsync(
        string audienceId, ExclusionBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var usage = (body.UsageMode ?? UsageModes.Exclude).ToUpperInvariant();
        var errors = AdGroupErrors(body);
        if (usage is not (UsageModes.Exclude or UsageModes.Include))
        {
            errors["usage_mode"] = ["usage_mode must be EXCLUDE (the default) or INCLUDE."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var result = await grains.Exclusions(user.OrganizerId()).ApplyAsync(audienceId, [.. body.AdgroupIds!.OfType<string>()], usage);
        if (result.Outcome == ExclusionOutcome.Ok)
        {
            return TypedResults.Ok(ToResponse(audienceId, result));
        }
        var failed = Failure(result.Outcome, result.Code, result.Message);
        return failed.Retry is not null ? failed.Retry : failed.Problem!;
    }

    public static async Task<Results<Ok<ExclusionsResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> DisconnectAsync(
        string audienceId, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ExclusionBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        body ??= new ExclusionBody(null, null);
        if (AdGroupErrors(body) is { Count: > 0 } errors)
        {
            return Problems.Invalid(errors);
        }
        var result = await grains.Exclusions(user.OrganizerId()).DisconnectAsync(audienceId, [.. body.AdgroupIds!.OfType<string>()]);
        if (result.Outcome == ExclusionOutcome.Ok)
        {
            return TypedResults.Ok(ToResponse(audienceId, result));
        }
        var failed = Failure(result.Outcome, result.Code, result.Message);
        return failed.Retry is not null ? failed.Retry : failed.Problem!;
    }

    private static Dictionary<string, string[]> AdGroupErrors(ExclusionBody body)
    {
        var ids = body.AdgroupIds;
        return ids is null || ids.Count is 0 or > MaxAdGroups || ids.Any(id => id is null || !Digits().IsMatch(id)) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count
            ? new Dictionary<string, string[]> { ["adgroup_ids"] = [$"adgroup_ids must list 1 to {MaxAdGroups} distinct TikTok ad group ids (digits); see GET /ad-groups."] }
            : [];
    }

    internal static ExclusionsResponse ToResponse(string audienceId, ExclusionResult result)
        => new(audienceId, result.AdvertiserId, result.TikTokAudienceId, [.. result.Applied.Select(a => new AppliedAdGroupResponse(a.AdGroupId, a.UsageMode, a.AppliedAt))], result.Message);

    /// <summary>TikTok's refusals are 422 with its code; an outage is 503 with Retry-After.</summary>
    private static Failed Failure(ExclusionOutcome outcome, int code, string message) => outcome == ExclusionOutcome.TikTokUnavailable
        ? new Failed(null, Problems.Unavailable("tiktok_unavailable", message, 30))
        : new Failed(Problem(outcome, code, message), null);

    private static ProblemHttpResult Problem(ExclusionOutcome outcome, int code, string message) => outcome switch
    {
        ExclusionOutcome.AudienceNotFound => Problems.NotFound(message),
        ExclusionOutcome.NoAccess => Problems.Create(StatusCodes.Status422UnprocessableEntity, "no_connection_for_advertiser", "No access to this advertiser", message),
        ExclusionOutcome.ReauthorisationRequired => Problems.Create(StatusCodes.Status422UnprocessableEntity, "reauthorization_required", "TikTok rejected the token", message,
            new Dictionary<string, object?> { ["tiktok_code"] = code }),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_refused", "TikTok refused the request", message, new Dictionary<string, object?> { ["tiktok_code"] = code }),
    };

    /// <summary>A refusal (problem) or an outage (retry): exactly one is set.</summary>
    private readonly record struct Failed(ProblemHttpResult? Problem, ProblemWithRetryAfter? Retry);

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();
}
