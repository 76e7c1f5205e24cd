using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Alerts;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Security;
using TikTokAds.Node.Apis.Leads;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis;

/// <summary>The organizer's alerts: what is firing now and lately, the rules, and the signed webhook they go to.</summary>
internal static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", ListAsync).WithSummary("Active alerts, then recently resolved ones (state=active for active only): rule, pixel, message, value and threshold, fired and resolved times.");
        api.MapPost("/alerts/evaluate", EvaluateAsync).WithSummary("Evaluates the alert rules now (they are also evaluated every Alerts:EvaluationInterval) and answers what fired and resolved.");
        api.MapGet("/alerts/rules", GetRulesAsync).WithSummary("The alert rules with their thresholds (defaults until changed).");
        api.MapPut("/alerts/rules", SetRulesAsync).WithSummary("Changes alert rules; each omitted rule keeps its current settings.");
        api.MapGet("/alerts/webhook", GetWebhookAsync).WithSummary("Where alerts are sent, whether they are signed, how many wait, and the last delivery or error.");
        api.MapPut("/alerts/webhook", SetWebhookAsync).WithSummary("Sets the HTTPS receiver alerts are POSTed to (signed with signing_secret, retried until it answers 2xx); url null stops sending.");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<AlertView>>, ValidationProblem>> ListAsync(string? state, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (state is not null and not "active" and not "all")
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["state"] = ["active or all (default)."] });
        }
        var alerts = grains.Alerts(user.OrganizerId());
        await alerts.StartAsync();
        return TypedResults.Ok(await alerts.ListAsync(state != "active"));
    }

    public static async Task<Ok<AlertEvaluation>> EvaluateAsync(ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var alerts = grains.Alerts(user.OrganizerId());
        await alerts.StartAsync(cancellationToken);
        return TypedResults.Ok(await alerts.EvaluateAsync(cancellationToken));
    }

    public static async Task<Ok<AlertRules>> GetRulesAsync(ClaimsPrincipal user, IGrainFactory grains)
        => TypedResults.Ok(await grains.Alerts(user.OrganizerId()).GetRulesAsync());

    public static async Task<Results<Ok<AlertRules>, ValidationProblem>> SetRulesAsync(AlertRulesBody body, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var alerts = grains.Alerts(user.OrganizerId());
        var current = await alerts.GetRulesAsync();
        var errors = new Dictionary<string, string[]>();
        var rules = body.Apply(current, errors);
        return errors.Count > 0 ? Problems.Invalid(errors) : TypedResults.Ok(await alerts.SetRulesAsync(rules, cancellationToken));
    }

    public static async Task<Ok<AlertWebhookView>> GetWebhookAsync(ClaimsPrincipal user, IGrainFactory grains)
        => TypedResults.Ok(await grains.Alerts(user.OrganizerId()).GetWebhookAsync());

    public static async Task<Results<Ok<AlertWebhookView>, ValidationProblem>> SetWebhookAsync(
        AlertWebhookBody body, ClaimsPrincipal user, IGrainFactory grains, TokenProtector protector, IOptions<LeadOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Url is not null && CallbackUrls.Problem(body.Url, options.Value.AllowPrivateCallbackAddresses) is { } urlProblem)
        {
            errors["url"] = [urlProblem];
        }
        if (body.Url is not null && body.SigningSecret is not { Length: >= 16 and <= 256 })
        {
            errors["signing_secret"] = ["From 16 to 256 characters: every alert is signed with it (X-TikTokAds-Signature)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var organizerId = user.OrganizerId();
        var secret = body.Url is null ? null : protector.Protect(body.SigningSecret!, organizerId);
        return TypedResults.Ok(await grains.Alerts(organizerId).SetWebhookAsync(new AlertWebhookSettings(body.Url, secret), cancellationToken));
    }
}

/// <summary>PUT /alerts/webhook: an HTTPS receiver and the secret alerts are signed with; url null stops sending.</summary>
public sealed record AlertWebhookBody(string? Url, string? SigningSecret);

/// <summary>PUT /alerts/rules: the rules to change; omitted ones keep their settings.</summary>
public sealed record AlertRulesBody(
    DeliveryDropRule? DeliveryDrop,
    FailureRatioRule? FailureRatio,
    OldestWaitingRule? OldestWaiting,
    ToggleRule? BudgetExhausted,
    ToggleRule? ReauthorizationRequired,
    ToggleRule? ReconciliationGap)
{
    public AlertRules Apply(AlertRules current, Dictionary<string, string[]> errors)
    {
        if (DeliveryDrop is { } drop)
        {
            Check(errors, "delivery_drop.below_ratio", drop.BelowRatio is > 0 and < 1, "Between 0 and 1 (for example 0.25: below a quarter of the usual).");
            Check(errors, "delivery_drop.min_usual_per_hour", drop.MinUsualPerHour is >= 1 and <= 10_000_000, "From 1 to 10,000,000 events.");
        }
        if (FailureRatio is { } failure)
        {
            Check(errors, "failure_ratio.above_ratio", failure.AboveRatio is >= 0 and < 1, "From 0 to below 1 (for example 0.05).");
            Check(errors, "failure_ratio.window_minutes", failure.WindowMinutes is >= 1 and <= 1440, "From 1 to 1,440 minutes.");
            Check(errors, "failure_ratio.min_requests", failure.MinRequests is >= 1 and <= 100_000, "From 1 to 100,000 requests.");
        }
        if (OldestWaiting is { } waiting)
        {
            Check(errors, "oldest_waiting.minutes", waiting.Minutes is >= 1 and <= 10_080, "From 1 to 10,080 minutes (7 days).");
        }
        return new AlertRules(
            DeliveryDrop ?? current.DeliveryDrop,
            FailureRatio ?? current.FailureRatio,
            OldestWaiting ?? current.OldestWaiting,
            BudgetExhausted ?? current.BudgetExhausted,
            ReauthorizationRequired ?? current.ReauthorizationRequired,
            ReconciliationGap ?? current.ReconciliationGap);
    }

    private static void Check(Dictionary<string, string[]> errors, string field, bool valid, string message)
    {
        if (!valid)
        {
            errors[field] = [message];
        }
    }
}
