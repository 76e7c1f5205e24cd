using TikTokAds.Contracts;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Audiences;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>Custom audiences: create, sync (append, remove, replace), lookalike, list, delete.</summary>
internal static partial class AudiencesApi
{
    public static RouteGroupBuilder MapAudiencesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/audiences", CreateAsync).WithSummary("Creates a custom audience at TikTok; it is 'processing' until TikTok can take data, and syncs queue meanwhile.");
        api.MapGet("/audiences", ListAsync).WithSummary("The organizer's audiences with their state.");
        api.MapGet("/audiences/{audienceId}", GetAsync).WithSummary("One audience: state, members, run history and lookalikes.");
        api.MapDelete("/audiences/{audienceId}", DeleteAsync).WithSummary("Deletes the audience here and at TikTok.");
        api.MapPost("/audiences/{audienceId}/sync", SyncAsync).WithSummary("APPEND, REMOVE or REPLACE members (raw or SHA-256), now or at the daily sync hour.");
        api.MapPost("/audiences/{audienceId}/lookalike", LookalikeAsync).WithSummary("A lookalike of this audience (source of 100 members at least).");
        return api;
    }

    public static async Task<Results<Created<AudienceResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> CreateAsync(CreateAudienceBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.AdvertiserId is null || !Digits().IsMatch(body.AdvertiserId))
        {
            errors["advertiser_id"] = ["The TikTok advertiser id is required: 1 to 32 digits."];
        }
        if (string.IsNullOrWhiteSpace(body.CustomAudienceName) || body.CustomAudienceName.Length > 128)
        {
            errors["custom_audience_name"] = ["A name of 1 to 128 characters is required."];
        }
        if (body.AudienceType is not (null or "CUSTOMER_FILE"))
        {
            errors["audience_type"] = ["Only CUSTOMER_FILE audiences are supported."];
        }
        var schema = body.IdSchema ?? ["EMAIL_SHA256"];
        if (SchemaError(schema) is { } schemaError)
        {
            errors["id_schema"] = [schemaError];
        }
        if (body.RetentionInDays is < 1 or > 365)
        {
            errors["retention_in_days"] = ["From 1 to 365 days."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var audienceId = $"aud_{Guid.NewGuid():N}"[..20];
        var result = await grains.Audience(user.OrganizerId(), audienceId)
            .CreateAsync(new AudienceCreateRequest(body.AdvertiserId!, body.CustomAudienceName!.Trim(), schema, body.Exclusion ?? false, body.RetentionInDays));
        if (result.Outcome == AudienceOutcome.Created)
        {
            return TypedResults.Created($"{Extensions.NodeExtensions.PublicApiPrefix}/audiences/{audienceId}", ToResponse(result.Audience!));
        }
        var (problem, retry) = Failure(result);
        return retry is not null ? retry : problem!;
    }

    public static async Task<Ok<AudienceResponse[]>> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var organizerId = user.OrganizerId();
        var ids = await grains.AudienceDirectory(organizerId).ListAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.Audience(organizerId, id).GetAsync()));
        return TypedResults.Ok(views.OfType<AudienceView>().Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<AudienceResponse>, ProblemHttpResult>> GetAsync(string audienceId, ClaimsPrincipal user, IGrainFactory grains)
        => await grains.Audience(user.OrganizerId(), audienceId).GetAsync() is { } view
            ? TypedResults.Ok(ToResponse(view))
            : Problems.NotFound($"No audience {audienceId}.");

    public static async Task<Results<NoContent, ProblemHttpResult, ProblemWithRetryAfter>> DeleteAsync(string audienceId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var result = await grains.Audience(user.OrganizerId(), audienceId).DeleteAsync();
        if (result.Outcome == AudienceOutcome.Deleted)
        {
            return TypedResults.NoContent();
        }
        var (problem, retry) = Failure(result);
        return retry is not null ? retry : problem!;
    }

    public static async Task<Results<Accepted<SyncAccepted>, ValidationProblem, ProblemHttpResult>> SyncAsync(
        string audienceId, SyncBody body, ClaimsPrincipal user, IGrainFactory grains, IOptions<AudienceOptions> options)
    {
        var errors = new Dictionary<string, string[]>();
        var action = body.Action?.ToUpperInvariant();
        if (action is not ("APPEND" or "REMOVE" or "REPLACE"))
        {
            errors["action"] = ["action must be APPEND, REMOVE or REPLACE."];
        }
        var schema = body.IdSchema ?? [];
        if (SchemaError(schema) is { } schemaError)
        {
            errors["id_schema"] = [schemaError];
        }
        var members = body.Members;
        if (members is null)
        {
            errors["members"] = ["members is required: rows aligned to id_schema, e.g. [[\"fan@example.com\", \"+40721234567\"]]."];
        }
        else if (members.Count > options.Value.MaxMembersPerSync)
        {
            errors["members"] = [$"{members.Count} members is too many for one request; at most {options.Value.MaxMembersPerSync:N0}."];
        }
        else if (schema.Count > 0 && FirstBadRow(members, schema.Count) is { } index)
        {
            errors[$"members[{index}]"] = [$"Each row needs exactly {schema.Count} value(s), one per id_schema entry (null or \"\" where unknown)."];
        }
        if (body.Trigger is not (null or "instant" or "scheduled"))
        {
            errors["trigger"] = ["trigger must be instant or scheduled."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var (packed, valid) = await AudienceMembers.HashAsync(schema, members!);
        var result = await grains.Audience(user.OrganizerId(), audienceId)
            .SyncAsync(new AudienceSyncRequest(action!, schema, [], members!.Count, valid, body.Trigger ?? "instant", packed));
        return result.Queued
            ? TypedResults.Accepted($"{Extensions.NodeExtensions.PublicApiPrefix}/audiences/{audienceId}", new SyncAccepted(result.RunId, action!, result.Status, result.Total, result.Valid, result.Total - result.Valid, result.Message))
            : Problems.NotFound($"No audience {audienceId}.");
    }

    public static async Task<Results<Created<AudienceResponse>, ValidationProblem, ProblemHttpResult, ProblemWithRetryAfter>> LookalikeAsync(
        string audienceId, LookalikeBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (body.AudienceSize is not ("NARROW" or "BALANCED" or "BROAD"))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["audience_size"] = ["audience_size must be NARROW, BALANCED or BROAD."] });
        }
        if (body.LocationIds is { } locations && (locations.Count > MaxLocations || locations.Any(l => l is null || !Digits().IsMatch(l))))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["location_ids"] = [$"location_ids are up to {MaxLocations} TikTok location ids (digits, no nulls)."] });
        }
        if (body.CustomAudienceName is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 128))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["custom_audience_name"] = ["When given, a name of 1 to 128 characters."] });
        }
        var result = await grains.Audience(user.OrganizerId(), audienceId)
            .CreateLookalikeAsync(new LookalikeRequest(body.AudienceSize, body.LocationIds ?? [], body.IncludeSource ?? false, body.CustomAudienceName));
        if (result.Outcome == AudienceOutcome.Created)
        {
            return TypedResults.Created($"{Extensions.NodeExtensions.PublicApiPrefix}/audiences/{audienceId}", ToResponse(result.Audience!));
        }
        var (problem, retry) = Failure(result);
        return retry is not null ? retry : problem!;
    }

    private const int MaxLocations = 100;

    private static int? FirstBadRow(MemberRows members, int width)
    {
        for (var i = 0; i < members.Count; i++)
        {
            if (members.Width(i) != width)
            {
                return i;
            }
        }
        return null;
    }

    private static string? SchemaError(IReadOnlyList<string> schema)
        => schema.Count == 0 || schema.Any(s => !AudienceMembers.Schemas.Contains(s)) || schema.Distinct(StringComparer.Ordinal).Count() != schema.Count
            ? "id_schema must list EMAIL_SHA256 and/or PHONE_SHA256, each at most once."
            : null;

    /// <summary>A failed outcome as a problem; outages carry Retry-After.</summary>
    private static (ProblemHttpResult? Problem, ProblemWithRetryAfter? Retry) Failure(AudienceResult result) => result.Outcome switch
    {
        AudienceOutcome.NotFound => (Problems.NotFound(result.Message), null),
        AudienceOutcome.NoConnection => (Problems.Create(StatusCodes.Status422UnprocessableEntity, "no_connection_for_advertiser", "No connection for this advertiser", result.Message), null),
        AudienceOutcome.SourceTooSmall => (Problems.Create(StatusCodes.Status422UnprocessableEntity, "lookalike_source_too_small", "The source audience is too small", result.Message), null),
        AudienceOutcome.TikTokUnavailable => (null, Problems.Unavailable("tiktok_unavailable", result.Message, 30)),
        _ => (Problems.Create(StatusCodes.Status422UnprocessableEntity, "tiktok_refused", "TikTok refused the request", result.Message,
            new Dictionary<string, object?> { ["tiktok_code"] = result.Code }), null),
    };

    internal static AudienceResponse ToResponse(AudienceView v) => new(
        v.Id, v.AdvertiserId, v.Name, v.TikTokAudienceId, v.Status, v.IdSchema, v.Exclusion, v.RetentionInDays, v.Members, v.CreatedAt, v.ReadyAt, v.LastError,
        [.. v.Runs.Select(r => new RunResponse(r.RunId, r.Action, r.Trigger, r.Status, r.Total, r.Valid, r.Uploaded, r.Removed, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Error))],
        [.. v.Lookalikes.Select(l => new LookalikeResponse(l.TikTokAudienceId, l.Name, l.AudienceSize, l.IncludeSource, l.LocationIds, l.CreatedAt))]);

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();
}
