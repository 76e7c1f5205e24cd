using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Segments;
using TikTokAds.Grains.Audiences;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Segments;

/// <summary>Segments of the organizer's buyers, each kept in sync with a TikTok audience; and the buyer data they are built from.</summary>
internal static class SegmentsApi
{
    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/segments", CreateAsync).WithSummary("Creates a segment of buyers bound to an audience (a new one when audience_id is absent); an instant segment syncs at once.");
        api.MapGet("/segments", ListAsync).WithSummary("The organizer's segments with their size and last runs.");
        api.MapPost("/segments/preview", PreviewAsync).WithSummary("The size of a definition, without saving it.");
        api.MapGet("/segments/{segmentId}", GetAsync).WithSummary("One segment: definition, current size, bound audience and last runs.");
        api.MapPut("/segments/{segmentId}", UpdateAsync).WithSummary("Replaces the definition (audience_id absent keeps the bound audience); an instant segment syncs at once.");
        api.MapDelete("/segments/{segmentId}", DeleteAsync).WithSummary("Deletes the segment; its audience and members stay.");
        api.MapPost("/segments/{segmentId}/sync", SyncAsync).WithSummary("Runs the segment now: the audience gets the new buyers and loses those who no longer qualify.");
        api.MapDelete("/buyer-data", DeleteBuyerDataAsync).WithSummary("Deletes every buyer fact (hashed identifiers, values) kept for segments; audiences keep their members until a segment runs again.");
        return api;
    }

    public static async Task<Results<Created<SegmentResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> CreateAsync(
        SegmentBody body, ClaimsPrincipal user, IGrainFactory grains, IOptions<AudienceOptions> options)
    {
        var (definition, errors) = SegmentValidator.Validate(body, forPreview: false, options.Value.ScheduledHourUtc);
        if (definition is null)
        {
            return Problems.Invalid(errors);
        }
        var segmentId = $"seg_{Guid.NewGuid():N}"[..20];
        var result = await grains.Segment(user.OrganizerId(), segmentId).SaveAsync(definition, create: true);
        return result.Outcome == SegmentOutcome.Saved
            ? TypedResults.Created($"{Extensions.NodeExtensions.PublicApiPrefix}/segments/{segmentId}", ToResponse(result.Segment!))
            : Failure(result) is var (invalid, problem, retry) && invalid is not null ? invalid : retry is not null ? retry : problem!;
    }

    public static async Task<Ok<SegmentResponse[]>> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var organizerId = user.OrganizerId();
        var ids = await grains.SegmentDirectory(organizerId).ListAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.Segment(organizerId, id).GetAsync()));
        return TypedResults.Ok(views.OfType<SegmentView>().Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<SegmentSizeResponse>, ValidationProblem>> PreviewAsync(SegmentBody body, ClaimsPrincipal user, IGrainFactory grains, IOptions<AudienceOptions> options)
    {
        var (definition, errors) = SegmentValidator.Validate(body, forPreview: true, options.Value.ScheduledHourUtc);
        if (definition is null)
        {
            return Problems.Invalid(errors);
        }
        var size = await grains.BuyerData(user.OrganizerId()).PreviewAsync(definition);
        return TypedResults.Ok(new SegmentSizeResponse(size.Total, size.Valid, size.Members));
    }

    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> GetAsync(string segmentId, ClaimsPrincipal user, IGrainFactory grains)
        => Known(segmentId) && await grains.Segment(user.OrganizerId(), segmentId).GetAsync() is { } view
            ? TypedResults.Ok(ToResponse(view))
            : Problems.NotFound($"No segment {segmentId}.");

    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> UpdateAsync(
        string segmentId, SegmentBody body, ClaimsPrincipal user, IGrainFactory grains, IOptions<AudienceOptions> options)
    {
        if (!Known(segmentId))
        {
            return Problems.NotFound($"No segment {segmentId}.");
        }
        // A change may keep the bound audience, so advertiser_id is not required here.
        var (definition, errors) = SegmentValidator.Validate(body, forPreview: true, options.Value.ScheduledHourUtc);
        if (definition is null)
        {
            return Problems.Invalid(errors);
        }
        var result = await grains.Segment(user.OrganizerId(), segmentId).SaveAsync(definition, create: false);
        return result.Outcome == SegmentOutcome.Saved
            ? TypedResults.Ok(ToResponse(result.Segment!))
            : Failure(result) is var (invalid, problem, retry) && invalid is not null ? invalid : retry is not null ? retry : problem!;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string segmentId, ClaimsPrincipal user, IGrainFactory grains)
        => Known(segmentId) && await grains.Segment(user.OrganizerId(), segmentId).DeleteAsync()
            ? TypedResults.NoContent()
            : Problems.NotFound($"No segment {segmentId}.");

    public static async Task<Results<Accepted<SegmentResponse>, ProblemHttpResult>> SyncAsync(string segmentId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Known(segmentId) || await grains.Segment(user.OrganizerId(), segmentId).SyncAsync() is not { Outcome: SegmentOutcome.Saved } result)
        {
            return Problems.NotFound($"No segment {segmentId}.");
        }
        return TypedResults.Accepted($"{Extensions.NodeExtensions.PublicApiPrefix}/segments/{segmentId}", ToResponse(result.Segment!));
    }

    public static async Task<Ok<BuyerDataDeleted>> DeleteBuyerDataAsync(ClaimsPrincipal user, IGrainFactory grains)
        => TypedResults.Ok(new BuyerDataDeleted(await grains.BuyerData(user.OrganizerId()).DeleteAllAsync()));

    /// <summary>Only ids this API hands out reach a grain.</summary>
    private static bool Known(string segmentId) => segmentId.Length == 20 && segmentId.StartsWith("seg_", StringComparison.Ordinal) && SegmentValidator.Id().IsMatch(segmentId);

    /// <summary>A failed save as a problem: one of the three is set; outages carry Retry-After.</summary>
    private static (ValidationProblem? Invalid, ProblemHttpResult? Problem, ProblemWithRetryAfter? Retry) Failure(SegmentResult result) => result.Outcome switch
    {
        SegmentOutcome.NotFound or SegmentOutcome.AudienceNotFound => (null, Problems.NotFound(result.Message), null),
        SegmentOutcome.AdvertiserMismatch => (Problems.Invalid(new Dictionary<string, string[]> { ["advertiser_id"] = [result.Message] }), null, null),
        _ => result.AudienceOutcome switch
        {
            AudienceOutcome.NoConnection => (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "no_connection_for_advertiser", "No connection for this advertiser", result.Message), null),
            AudienceOutcome.TikTokUnavailable => (null, null, Problems.Unavailable("tiktok_unavailable", result.Message, 30)),
            _ => (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_refused", "TikTok refused the request", result.Message,
                new Dictionary<string, object?> { ["tiktok_code"] = result.Code }), null),
        },
    };

    internal static SegmentResponse ToResponse(SegmentView v)
    {
        var d = v.Definition;
        return new SegmentResponse(
            v.Id, d.Name, d.EventNames, d.LookbackDays, d.MinEvents, d.MinValue, d.Currency, d.ContentIds, d.Identifiers, v.AdvertiserId, v.AudienceId, d.Schedule,
            d.Schedule == SegmentSchedules.Daily ? d.HourUtc : null, new SegmentSizeResponse(v.Size.Total, v.Size.Valid, v.Size.Members), v.CreatedAt, v.UpdatedAt, v.NextRunAt,
            [.. v.Runs.Select(r => new SegmentRunResponse(r.RunId, r.Trigger, r.Status, r.StartedAt, r.FinishedAt, r.Total, r.Valid, r.Members, r.Added, r.Removed, r.Error))]);
    }
}
