using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Assurance;
using TikTokAds.Grains.Assurance;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Assurance;

/// <summary>Per pixel: reconciliation with TikTok's own counts, and match-key coverage.</summary>
internal static class AssuranceApi
{
    public static RouteGroupBuilder MapAssuranceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pixels/{pixelId}/reconciliation", GetReconciliationAsync)
            .WithSummary("Per UTC day (of event_time) and event name: events delivered here against TikTok's server, browser and total counts, the gap and whether it is flagged; from/to as YYYY-MM-DD, at most 30 days.");
        api.MapPost("/pixels/{pixelId}/reconciliation/run", RunReconciliationAsync)
            .WithSummary("Asks TikTok's pixel/event/stats/ now for each day of from..to (default the last 7 days) and answers with the refreshed table.");
        api.MapGet("/pixels/{pixelId}/match-quality", GetMatchQualityAsync)
            .WithSummary("Share of events per event name carrying each match key over the last `hours` (1-720, default 24), warnings when a share fell sharply, and our estimated_score (not TikTok's).");
        return api;
    }

    public static async Task<Results<Ok<ReconciliationResponse>, ValidationProblem, ProblemHttpResult>> GetReconciliationAsync(
        string pixelId, string? from, string? to, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        if (!await directory.IsConnectedAsync(organizerId, pixelId, cancellationToken))
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var (start, end, errors) = ReportRange.Days(from, to, Reconciler.Today(time.GetUtcNow()));
        if (errors is not null)
        {
            return Problems.Invalid(errors, "The date range is invalid; see errors.");
        }
        var report = await grains.Reconciliation(organizerId, pixelId).GetAsync(start, end);
        return TypedResults.Ok(ReconciliationResponse.Of(report));
    }

    public static async Task<Results<Ok<ReconciliationResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> RunReconciliationAsync(
        string pixelId, string? from, string? to, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        if (!await directory.IsConnectedAsync(organizerId, pixelId, cancellationToken))
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var (start, end, errors) = ReportRange.Days(from, to, Reconciler.Today(time.GetUtcNow()));
        if (errors is not null)
        {
            return Problems.Invalid(errors, "The date range is invalid; see errors.");
        }
        var run = await grains.Reconciliation(organizerId, pixelId).RunAsync(start, end, cancellationToken);
        var tiktok = new Dictionary<string, object?> { ["tiktok_code"] = run.TikTokCode };
        return run.Outcome switch
        {
            ReconciliationOutcome.Completed => TypedResults.Ok(ReconciliationResponse.Of(run.Report, run.SkippedDays)),
            ReconciliationOutcome.NotConnected => Problems.PixelNotConnected(pixelId),
            ReconciliationOutcome.TikTokRefused => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_refused", "TikTok refused the stats request", run.Message, tiktok),
            _ => Problems.Unavailable("tiktok_unavailable", $"TikTok's stats did not answer ({run.TikTokCode}: {run.Message}); the days answered were kept. Try again later."),
        };
    }

    public static async Task<Results<Ok<MatchQualityResponse>, ValidationProblem, ProblemHttpResult>> GetMatchQualityAsync(
        string pixelId, string? hours, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        if (!await directory.IsConnectedAsync(organizerId, pixelId, cancellationToken))
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var (window, errors) = ReportRange.Hours(hours);
        if (errors is not null)
        {
            return Problems.Invalid(errors, "The window is invalid; see errors.");
        }
        var report = await grains.MatchQuality(organizerId, pixelId).GetAsync(window, cancellationToken);
        return TypedResults.Ok(MatchQualityResponse.Of(report, window));
    }

}
