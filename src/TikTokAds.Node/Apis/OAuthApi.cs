using TikTokAds.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Extensions;
using TikTokAds.Node.Gateway;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Apis;

/// <summary>The OAuth connection (seed 002): consent, callback, authorizations, and the ad accounts they grant.</summary>
internal static class OAuthApi
{
    public const string CallbackPath = "/oauth/callback";

    public static RouteGroupBuilder MapOAuthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/oauth/start", StartAsync).WithSummary("TikTok's authorise URL (authorize_url) with a single-use state bound to this organizer; it expires.");
        api.MapGet("/oauth/authorizations", ListAuthorizationsAsync).WithSummary("The organizer's OAuth authorizations: advertisers, scopes and status (never the token).");
        api.MapDelete("/oauth/authorizations/{authorizationId}", DeleteAuthorizationAsync).WithSummary("Deletes an authorization; lead ads that used its accounts show integration_deleted.");
        api.MapGet("/ad-accounts", ListAdAccountsAsync).WithSummary("The ad accounts the organizer's authorizations grant: id, name, company, status (12 values) and role (4 values).");
        api.MapPost("/ad-accounts/sync", SyncAdAccountsAsync).WithSummary("Re-syncs the ad accounts with TikTok now (they also re-sync daily).");
        return api;
    }

    /// <summary>TikTok redirects the organizer's browser here, so it carries no API key: the state is the credential.</summary>
    public static IEndpointRouteBuilder MapOAuthCallback(this IEndpointRouteBuilder app)
    {
        app.MapGet(NodeExtensions.PublicApiPrefix + CallbackPath, CallbackAsync)
            .AllowAnonymous()
            .WithTags("TikTok Ads")
            .WithSummary("TikTok's redirect after consent: exchanges auth_code, stores the token encrypted, and syncs the ad accounts.");
        return app;
    }

    public static async Task<Results<Ok<OAuthStartResponse>, ProblemHttpResult, ProblemWithRetryAfter>> StartAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<OAuthOptions> oauth, IOptions<TikTokOptions> tiktok, CancellationToken cancellationToken)
    {
        if (!tiktok.Value.HasApp)
        {
            return NotConfigured();
        }
        var start = await grains.Organizer(user.OrganizerId()).BeginAuthorizationAsync(oauth.Value.StateLifetime, cancellationToken);
        if (start is null)
        {
            return Problems.NotFound("Unknown organizer.");
        }
        var redirect = oauth.Value.RedirectUri ?? $"{request.Scheme}://{request.Host}{request.PathBase}{NodeExtensions.PublicApiPrefix}{CallbackPath}";
        var url = $"{oauth.Value.AuthorizeUrl}?app_id={Uri.EscapeDataString(tiktok.Value.AppId!)}&state={Uri.EscapeDataString(start.State)}&redirect_uri={Uri.EscapeDataString(redirect)}";
        return TypedResults.Ok(new OAuthStartResponse(url, start.State, start.ExpiresAt, redirect));
    }

    public static async Task<Results<Ok<OAuthCompleted>, RedirectHttpResult, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> CallbackAsync(
        string? state, string? auth_code, string? code, IGrainFactory grains, IOptions<OAuthOptions> oauth, CancellationToken cancellationToken)
    {
        var authCode = string.IsNullOrWhiteSpace(auth_code) ? code : auth_code;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(state) || state.Length > 200)
        {
            errors["state"] = ["The state from GET /oauth/start is required."];
        }
        if (string.IsNullOrWhiteSpace(authCode) || authCode.Length > 512)
        {
            errors["auth_code"] = ["TikTok's auth_code is required (at most 512 characters)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var dot = state!.LastIndexOf('.');
        if (dot <= 0 || dot == state.Length - 1)
        {
            return Refused(AuthorizationOutcome.StateUnknown, "The state is not one this service issued; start again with GET /oauth/start.", 0, oauth.Value);
        }
        var result = await grains.Organizer(state[..dot]).CompleteAuthorizationAsync(state[(dot + 1)..], authCode!, cancellationToken);
        if (result.Outcome != AuthorizationOutcome.Authorized)
        {
            return Refused(result.Outcome, result.Message, result.TikTokCode, oauth.Value);
        }
        if (oauth.Value.CompletionRedirectUrl is { } done)
        {
            return TypedResults.Redirect($"{done}{(done.Contains('?', StringComparison.Ordinal) ? '&' : '?')}status=connected&authorization_id={Uri.EscapeDataString(result.Authorization!.Id)}");
        }
        return TypedResults.Ok(new OAuthCompleted("connected", result.Authorization!, result.AdAccounts));
    }

    public static async Task<Ok<IReadOnlyList<AuthorizationView>>> ListAuthorizationsAsync(ClaimsPrincipal user, IGrainFactory grains)
        => TypedResults.Ok(await grains.Organizer(user.OrganizerId()).ListAuthorizationsAsync());

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAuthorizationAsync(string authorizationId, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        => await grains.Organizer(user.OrganizerId()).DeleteAuthorizationAsync(authorizationId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Authorization {authorizationId} does not exist.");

    public static async Task<Ok<AdAccountsResponse>> ListAdAccountsAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var organizer = grains.Organizer(user.OrganizerId());
        return TypedResults.Ok(new AdAccountsResponse(await organizer.ListAdAccountsAsync(), await organizer.ListAuthorizationsAsync()));
    }

    public static async Task<Ok<AdAccountSyncResponse>> SyncAdAccountsAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await grains.Organizer(user.OrganizerId()).SyncAdAccountsAsync(cancellationToken);
        return TypedResults.Ok(new AdAccountSyncResponse(result.Complete, result.Message, result.AdAccounts, result.Authorizations));
    }

    private static Results<Ok<OAuthCompleted>, RedirectHttpResult, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter> Refused(
        AuthorizationOutcome outcome, string message, int tiktokCode, OAuthOptions oauth)
    {
        var (status, code) = outcome switch
        {
            AuthorizationOutcome.StateUsed => (StatusCodes.Status409Conflict, "oauth_state_used"),
            AuthorizationOutcome.StateExpired => (StatusCodes.Status400BadRequest, "oauth_state_expired"),
            AuthorizationOutcome.CodeRejected => (StatusCodes.Status400BadRequest, "oauth_code_rejected"),
            AuthorizationOutcome.TikTokRefused => (StatusCodes.Status422UnprocessableEntity, "tiktok_refused"),
            AuthorizationOutcome.TikTokUnavailable => (StatusCodes.Status503ServiceUnavailable, "tiktok_unavailable"),
            AuthorizationOutcome.NotConfigured => (StatusCodes.Status503ServiceUnavailable, "oauth_not_configured"),
            _ => (StatusCodes.Status400BadRequest, "oauth_state_unknown"),
        };
        if (oauth.CompletionRedirectUrl is { } done && status < 500)
        {
            return TypedResults.Redirect($"{done}{(done.Contains('?', StringComparison.Ordinal) ? '&' : '?')}status=error&code={code}");
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            return outcome == AuthorizationOutcome.NotConfigured ? NotConfigured() : Problems.Unavailable(code, $"{message} Start the connection again shortly.", retryAfterSeconds: 30);
        }
        return Problems.Create(status, code, "The TikTok connection was not completed", message, new Dictionary<string, object?> { ["tiktok_code"] = tiktokCode });
    }

    private static ProblemWithRetryAfter NotConfigured()
        => Problems.Unavailable("oauth_not_configured", "This node has no TikTok app configured (TikTok:AppId, TikTok:AppSecret); OAuth is unavailable until an operator sets them.", retryAfterSeconds: 300);
}
