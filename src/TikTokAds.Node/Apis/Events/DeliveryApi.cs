using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Events;

/// <summary>
/// Proof of delivery per pixel: the dead letters (events TikTok refused for good) with their replay, and the
/// request inspector (every request sent to TikTok, with its answer and, on request, its exact body).
/// </summary>
internal static class DeliveryApi
{
    public const int MaxListed = 1000;
    public const int MaxReplayed = 10_000;
    private const string NdJson = "application/x-ndjson";
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static RouteGroupBuilder MapDeliveryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pixels/{pixelId}/dead-letters", ListDeadLettersAsync)
            .WithSummary("Events TikTok refused for good (or a disconnect stranded), newest first: code, message, request_id, hashed payload on request. Filters: code, event_name, from, to; pages with before.");
        api.MapPost("/pixels/{pixelId}/dead-letters/replay", ReplayAsync)
            .WithSummary("Sends the selected dead letters again under their original event_id (TikTok deduplicates for 48 h); events past TikTok's age limits are refused with the reason.");
        api.MapGet("/pixels/{pixelId}/requests", ListRequestsAsync)
            .WithSummary("The pixel's recent requests to TikTok: time, events, code, message, request_id, latency and, with include_body or as NDJSON (format=ndjson), the exact body sent (hashed data only).");
        return api;
    }

    public static async Task<Results<Ok<DeadLettersResponse>, ValidationProblem, ProblemHttpResult>> ListDeadLettersAsync(
        string pixelId, int? code, string? event_name, DateTimeOffset? from, DateTimeOffset? to, long? before, int? limit, bool? include_payload,
        ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckRange(errors, from, to);
        CheckLimit(errors, limit, MaxListed);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (await PixelAsync(user, directory, grains, pixelId, cancellationToken) is not { } pixel)
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var query = new DeadLetterQuery(code, event_name, from, to, null, before, limit ?? 100);
        var letters = await pixel.GetDeadLettersAsync(query, include_payload ?? false, cancellationToken);
        return TypedResults.Ok(new DeadLettersResponse(
            [.. letters.Select(DeadLetterResponse.From)],
            letters.Count == query.Limit ? letters[^1].Seq : null));
    }

    public static async Task<Results<Ok<ReplayResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        string pixelId, ReplayBody body, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, IOptions<EventsOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.EventIds is { } ids && (ids.Count is 0 or > MaxReplayed || ids.Any(string.IsNullOrWhiteSpace)))
        {
            errors["event_ids"] = [$"1 to {MaxReplayed:N0} event ids, none empty."];
        }
        if (body.EventIds is null && body.Code is null && body.EventName is null && body.From is null && body.To is null)
        {
            errors["event_ids"] = ["Say which dead letters to replay: event_ids, or at least one of code, event_name, from and to."];
        }
        CheckRange(errors, body.From, body.To);
        CheckLimit(errors, body.Limit, MaxReplayed);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (await PixelAsync(user, directory, grains, pixelId, cancellationToken) is not { } pixel)
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var selection = new DeadLetterQuery(body.Code, body.EventName, body.From, body.To, body.EventIds, null, body.Limit ?? body.EventIds?.Count ?? MaxReplayed);
        var result = await pixel.ReplayAsync(new ReplayRequest(selection, options.Value.MaxWebEventAge, options.Value.MaxOfflineEventAge), cancellationToken);
        return TypedResults.Ok(new ReplayResponse(result.Replayed.Count, result.Replayed, [.. result.Refused.Select(r => new ReplayRefusalResponse(r.EventId, r.EventName, r.Reason))], result.NotFound));
    }

    public static async Task<IResult> ListRequestsAsync(
        string pixelId, string? outcome, string? event_name, DateTimeOffset? from, DateTimeOffset? to, long? before, int? limit, bool? include_body, string? format,
        HttpContext context, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (outcome is not null && !Grains.Events.SentRequest.Outcomes.Contains(outcome))
        {
            errors["outcome"] = [$"One of {string.Join(", ", Grains.Events.SentRequest.Outcomes.Order(StringComparer.Ordinal))}."];
        }
        if (format is not null and not "json" and not "ndjson")
        {
            errors["format"] = ["json (default) or ndjson."];
        }
        CheckRange(errors, from, to);
        CheckLimit(errors, limit, MaxListed);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (await PixelAsync(user, directory, grains, pixelId, cancellationToken) is not { } pixel)
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var ndjson = format == "ndjson" || (format is null && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdJson, StringComparison.OrdinalIgnoreCase)));
        var query = new RequestLogQuery(outcome, event_name, from, to, before, limit ?? 100, ndjson || (include_body ?? false));
        var requests = await pixel.GetRequestsAsync(query, cancellationToken);
        var items = requests.Select(RequestResponse.From).ToList();
        if (!ndjson)
        {
            return TypedResults.Ok(new RequestsResponse(items, requests.Count == query.Limit ? requests[^1].Id : null));
        }
        return Results.Stream(async stream =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            foreach (var item in items)
            {
                await JsonSerializer.SerializeAsync(stream, item, options.GetTypeInfo(typeof(RequestResponse)), cancellationToken);
                await stream.WriteAsync(NewLine, cancellationToken);
            }
        }, NdJson);
    }

    private static async Task<IPixelGrain?> PixelAsync(ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, string pixelId, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        return await directory.IsConnectedAsync(organizerId, pixelId, cancellationToken) ? grains.Pixel(organizerId, pixelId) : null;
    }

    private static void CheckRange(Dictionary<string, string[]> errors, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from < Earliest || to < Earliest)
        {
            errors[from < Earliest ? "from" : "to"] = ["A time after 2000-01-01, in ISO 8601 (for example 2026-12-01T00:00:00Z)."];
        }
        else if (from is not null && to is not null && from >= to)
        {
            errors["to"] = ["Must be later than from."];
        }
    }

    private static void CheckLimit(Dictionary<string, string[]> errors, int? limit, int max)
    {
        if (limit is < 1 || limit > max)
        {
            errors["limit"] = [$"From 1 to {max:N0}."];
        }
    }
}
