using TikTokAds.Contracts;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Security;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>Lead ads (seeds 001 and 002): the call-back receiver, per-ad settings, leads, forms, subscriptions and pulls.</summary>
internal static partial class LeadsApi
{
    private static readonly string[] Statuses = [LeadStatuses.Pending, LeadStatuses.Forwarded, LeadStatuses.NotForwarded, LeadStatuses.Failed];

    public static RouteGroupBuilder MapLeadsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/leads/integration", IntegrationAsync).WithSummary("The lead integration's status (ok, reauthorization_required, misconfigured, integration_deleted) with each problem's fix.");
        api.MapPut("/leads/callback", SetCallbackAsync).WithSummary("Where leads are forwarded (the call-back receiver), and the secret deliveries are signed with.");
        api.MapGet("/leads/ads", ListAdsAsync).WithSummary("The per-ad settings and each one's status.");
        api.MapPut("/leads/ads/{adId}", ConfigureAdAsync).WithSummary("Configures one ad: ad account, form name, UTM tags, text template; only configured ads' leads are forwarded.");
        api.MapDelete("/leads/ads/{adId}", RemoveAdAsync).WithSummary("Removes an ad's settings; its later leads are recorded but not forwarded.");
        api.MapGet("/leads", ListLeadsAsync).WithSummary("Received leads, newest first, with status and reason (answers are never returned).");
        api.MapGet("/leads/forms", ListFormsAsync).WithSummary("Lead forms (LEAD_GEN pages) with lead counts per form.");
        api.MapPost("/leads/forms/sync", SyncFormsAsync).WithSummary("Syncs the lead forms from TikTok.");
        api.MapPost("/leads/subscriptions", SubscribeAsync).WithSummary("Subscribes TikTok's LEAD webhook for an ad account (and optionally one form) to this service.");
        api.MapPost("/leads/pull", PullAsync).WithSummary("Pulls leads through TikTok's lead-task export, in case webhooks were missed; duplicates are dropped.");
        api.MapGet("/leads/{leadId}", GetLeadAsync).WithSummary("One lead with its delivery log.");
        api.MapPost("/leads/{leadId}/retry", RetryAsync).WithSummary("Applies the current settings to a lead that was not forwarded or failed, and forwards it if it now may be.");
        return api;
    }

    public static async Task<Ok<LeadIntegrationView>> IntegrationAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => TypedResults.Ok(await Inbox(user, grains).GetIntegrationAsync(cancellationToken));

    public static async Task<Results<Ok<LeadIntegrationView>, ValidationProblem>> SetCallbackAsync(
        LeadCallbackBody body, ClaimsPrincipal user, IGrainFactory grains, TokenProtector protector, IOptions<LeadOptions> options, CallbackHosts hosts, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (await CallbackUrls.ProblemAsync(body.CallbackUrl, options.Value.AllowPrivateCallbackAddresses, hosts, options.Value.CallbackTimeout, cancellationToken) is { } urlProblem)
        {
            errors["callback_url"] = [urlProblem];
        }
        if (body.SigningSecret is { Length: > 0 and (< 16 or > 256) })
        {
            errors["signing_secret"] = ["From 16 to 256 characters; \"\" removes the secret; omit it to keep the current one."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var organizerId = user.OrganizerId();
        var secret = body.SigningSecret is { Length: > 0 } s ? protector.Protect(s, organizerId) : null;
        return TypedResults.Ok(await Inbox(user, grains).SetCallbackAsync(new LeadCallbackSettings(body.CallbackUrl, secret, body.SigningSecret is null), cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<LeadAdView>>> ListAdsAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => TypedResults.Ok(await Inbox(user, grains).ListAdsAsync(cancellationToken));

    public static async Task<Results<Ok<LeadAdView>, ValidationProblem>> ConfigureAdAsync(string adId, LeadAdBody body, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Digits().IsMatch(adId))
        {
            errors["ad_id"] = ["The TikTok ad id in the path: 1 to 32 digits."];
        }
        if (body.AdvertiserId is null || !Digits().IsMatch(body.AdvertiserId))
        {
            errors["advertiser_id"] = ["The ad account (advertiser id) the ad runs in is required: 1 to 32 digits."];
        }
        if (body.FormName is { Length: > 128 })
        {
            errors["form_name"] = ["At most 128 characters."];
        }
        if (body.TextTemplate is { Length: > 2000 })
        {
            errors["text_template"] = ["At most 2,000 characters."];
        }
        if (body.Utm is { } utm && (utm.Count > 10 || utm.Any(u => !UtmKey().IsMatch(u.Key) || u.Value is null || u.Value.Length > 256)))
        {
            errors["utm"] = ["At most 10 tags named utm_… (such as utm_source, utm_campaign), each value at most 256 characters."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var config = new LeadAdConfig(adId, body.AdvertiserId!, Blank(body.FormName), body.Utm ?? [], Blank(body.TextTemplate), body.Enabled ?? true);
        return TypedResults.Ok(await Inbox(user, grains).ConfigureAdAsync(config, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAdAsync(string adId, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => await Inbox(user, grains).RemoveAdAsync(adId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"Ad {adId} has no lead settings.");

    public static async Task<Results<Ok<IReadOnlyList<LeadView>>, ValidationProblem>> ListLeadsAsync(
        string? status, string? page_id, string? ad_id, int? limit, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"One of {string.Join(", ", Statuses)}."];
        }
        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["From 1 to 500 (default 100)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        return TypedResults.Ok(await Inbox(user, grains).ListLeadsAsync(new LeadQuery(status, Blank(page_id), Blank(ad_id), limit ?? 100), cancellationToken));
    }

    public static async Task<Results<Ok<LeadDetail>, ProblemHttpResult>> GetLeadAsync(string leadId, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => await Inbox(user, grains).GetLeadAsync(leadId, cancellationToken) is { } lead ? TypedResults.Ok(lead) : Problems.NotFound($"Lead {leadId} does not exist.");

    public static async Task<Results<Ok<LeadRetryResponse>, ProblemHttpResult>> RetryAsync(string leadId, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var receipt = await Inbox(user, grains).RetryAsync(leadId, cancellationToken);
        return receipt.Found ? TypedResults.Ok(new LeadRetryResponse(leadId, receipt.Status, receipt.Reason, receipt.Message)) : Problems.NotFound(receipt.Message);
    }

    public static async Task<Ok<IReadOnlyList<LeadFormView>>> ListFormsAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => TypedResults.Ok(await Inbox(user, grains).ListFormsAsync(cancellationToken));

    public static async Task<Results<Ok<LeadFormsResult>, ValidationProblem>> SyncFormsAsync(LeadFormsSyncBody? body, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (body?.AdvertiserId is { } advertiser && !Digits().IsMatch(advertiser))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["advertiser_id"] = ["1 to 32 digits, or omit it for every ad account."] });
        }
        return TypedResults.Ok(await Inbox(user, grains).SyncFormsAsync(body?.AdvertiserId, cancellationToken));
    }

    public static async Task<Results<Created<LeadSubscriptionView>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> SubscribeAsync(
        LeadSubscribeBody body, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<LeadOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.AdvertiserId is null || !Digits().IsMatch(body.AdvertiserId))
        {
            errors["advertiser_id"] = ["The ad account (advertiser id) is required: 1 to 32 digits."];
        }
        if (body.PageId is not null && !Digits().IsMatch(body.PageId))
        {
            errors["page_id"] = ["The lead form's page id: 1 to 32 digits."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var webhook = $"{options.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}"}{LeadWebhook.Path}";
        var result = await Inbox(user, grains).SubscribeAsync(body.AdvertiserId!, body.PageId, webhook, cancellationToken);
        if (result.Outcome == LeadTikTokOutcome.Done)
        {
            return TypedResults.Created($"/api/integrations/tiktok-ads/leads/integration", result.Subscription!);
        }
        return RetryLater(result.Outcome, result.Message) is { } later ? later : Refusal(result.Outcome, result.Message, result.TikTokCode);
    }

    public static async Task<Results<Accepted<LeadPullView>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> PullAsync(LeadPullBody body, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.AdvertiserId is null || !Digits().IsMatch(body.AdvertiserId))
        {
            errors["advertiser_id"] = ["The ad account (advertiser id) is required: 1 to 32 digits."];
        }
        if (body.PageId is null == (body.AdId is null) || body.PageId is { } p && !Digits().IsMatch(p) || body.AdId is { } a && !Digits().IsMatch(a))
        {
            errors["page_id"] = ["Exactly one of page_id (a lead form) or ad_id, as digits, as TikTok's lead task requires."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var result = await Inbox(user, grains).PullAsync(body.AdvertiserId!, body.PageId, body.AdId, cancellationToken);
        if (result.Outcome == LeadTikTokOutcome.Done)
        {
            return TypedResults.Accepted($"/api/integrations/tiktok-ads/leads/integration", result.Pull!);
        }
        return RetryLater(result.Outcome, result.Message) is { } later ? later : Refusal(result.Outcome, result.Message, result.TikTokCode);
    }

    /// <summary>TikTok could not be reached, or the node has no app: come back later. Null for a refusal.</summary>
    private static ProblemWithRetryAfter? RetryLater(LeadTikTokOutcome outcome, string message) => outcome switch
    {
        LeadTikTokOutcome.NotConfigured => Problems.Unavailable("oauth_not_configured", message, retryAfterSeconds: 300),
        LeadTikTokOutcome.Unavailable => Problems.Unavailable("tiktok_unavailable", $"{message} Retry shortly.", retryAfterSeconds: 30),
        _ => null,
    };

    private static ProblemHttpResult Refusal(LeadTikTokOutcome outcome, string message, int tiktokCode)
    {
        var tiktok = new Dictionary<string, object?> { ["tiktok_code"] = tiktokCode };
        return outcome switch
        {
            LeadTikTokOutcome.Reauthorise => Problems.Create(StatusCodes.Status422UnprocessableEntity, "reauthorization_required", "No access to the account, or missing rights", message, tiktok),
            LeadTikTokOutcome.NoAccess => Problems.Create(StatusCodes.Status422UnprocessableEntity, "no_access", "This organizer cannot act for the ad account", message, tiktok),
            _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_refused", "TikTok refused the request", message, tiktok),
        };
    }

    private static ILeadInboxGrain Inbox(ClaimsPrincipal user, IGrainFactory grains) => grains.LeadInbox(user.OrganizerId());

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();

    [GeneratedRegex("^utm_[a-z0-9_]{1,40}$")]
    private static partial Regex UtmKey();
}
