using TikTokAds.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Events;

/// <summary>The events endpoints: ingest one or up to 1,000 events, and ask where they stand.</summary>
internal static class EventsApi
{
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", PostEventAsync).WithSummary("One event: 202 once it is stored (never lost after that); duplicates and consent-less events are answered, not sent. In test mode it goes to TikTok at once and TikTok's answer comes back.");
        api.MapPost("/events/batch", PostBatchAsync).WithSummary("Up to 1,000 events: {\"events\": [...]}, answered per item.");
        api.MapGet("/events/{eventId}", GetEventAsync).WithSummary("Where an event stands: accepted, duplicate, skipped, delivered (with TikTok's request_id) or failed (code and message).");
        api.MapGet("/pixels/{pixelId}/status", GetPixelStatusAsync).WithSummary("A pixel's buffer depth, budget left today, last flush, last error and counts by status.");
        return api;
    }

    public static async Task<Results<Accepted<EventResult>, Ok<EventResult>, ProblemHttpResult>> PostEventAsync(
        EventBody body, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, PixelEventQueue queue, IOptions<EventsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        var (valid, error) = EventValidator.Validate(body, await directory.GetAsync(organizerId, cancellationToken), time.GetUtcNow(), options.Value);
        if (error is not null)
        {
            return Rejected(error);
        }
        if (valid!.Connection.TestMode && valid.Event.SkipReason is null)
        {
            var tested = await grains.Pixel(organizerId, valid.Connection.PixelId).SendTestAsync(valid.Event, cancellationToken);
            return TypedResults.Ok(new EventResult(tested.Code == 0, tested.EventId, tested.Code, tested.Message, tested.Status, tested.RequestId));
        }
        var outcome = (await queue.AcceptAsync(organizerId, valid.Connection.PixelId, [valid.Event]))[0];
        var result = new EventResult(outcome.Code == 0, outcome.EventId, outcome.Code, outcome.Message, outcome.Status);
        return outcome.Status == EventStatuses.Accepted
            ? TypedResults.Accepted($"{Extensions.NodeExtensions.PublicApiPrefix}/events/{Uri.EscapeDataString(outcome.EventId)}", result)
            : TypedResults.Ok(result);
    }

    public static async Task<Results<Accepted<BatchResult>, Ok<BatchResult>, ValidationProblem, ProblemHttpResult>> PostBatchAsync(
        EventBatchBody body, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, PixelEventQueue queue, IOptions<EventsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Events is null || body.Events.Count == 0)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["events"] = ["events must be an array of 1 to 1,000 events."] });
        }
        if (body.Events.Count > MaxBatch)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["events"] = [$"events holds {body.Events.Count} items; at most {MaxBatch} per request."] });
        }
        var organizerId = user.OrganizerId();
        var connections = await directory.GetAsync(organizerId, cancellationToken);
        var now = time.GetUtcNow();
        var results = new BatchItemResult?[body.Events.Count];
        var byPixel = new Dictionary<string, List<(int Index, ValidatedEvent Event)>>(StringComparer.Ordinal);
        for (var i = 0; i < body.Events.Count; i++)
        {
            var (valid, error) = EventValidator.Validate(body.Events[i], connections, now, options.Value);
            if (error is not null)
            {
                results[i] = new BatchItemResult(i, false, body.Events[i]?.EventId, error.Code, $"{error.Field}: {error.Message}".TrimStart(':', ' '), "rejected");
                continue;
            }
            if (!byPixel.TryGetValue(valid!.Connection.PixelId, out var list))
            {
                byPixel[valid.Connection.PixelId] = list = [];
            }
            list.Add((i, valid));
        }
        if (byPixel.Count == 0)
        {
            return Problems.Invalid(
                results.Select(r => r!).ToDictionary(r => $"events[{r.Index}]", r => new[] { r.Message }),
                "No event of the batch is valid; nothing was accepted.");
        }
        // The pixels' calls go at once: each pixel's append then shares a database write with the others' (group commit
        // across pixels), where one after another each paid a write of its own. Every call has finished, stored or
        // failed, before the answer; a failure answers the whole request, and its retry hears "duplicate" for what was stored.
        await Task.WhenAll(byPixel.Select(async pixel =>
        {
            var (pixelId, items) = (pixel.Key, pixel.Value);
            var outcomes = await AcceptAsync(grains, queue, organizerId, pixelId, items, cancellationToken);
            for (var k = 0; k < items.Count; k++)
            {
                var o = outcomes[k];
                results[items[k].Index] = new BatchItemResult(items[k].Index, o.Code == 0, o.EventId, o.Code, o.Message, o.Status);
            }
        }));
        var all = results.Select(r => r!).ToList();
        var batch = new BatchResult(
            all.All(r => r.Success),
            all.Count(r => r.Status is EventStatuses.Accepted or EventStatuses.Delivered),
            all.Count(r => r.Status == EventStatuses.Duplicate),
            all.Count(r => r.Status == EventStatuses.Skipped),
            all.Count(r => !r.Success),
            all);
        return batch.Accepted > 0 ? TypedResults.Accepted($"{Extensions.NodeExtensions.PublicApiPrefix}/events/batch", batch) : TypedResults.Ok(batch);
    }

    /// <summary>One pixel's events of a batch: through the gateway's queue, or one by one to TikTok for a pixel in test mode.</summary>
    private static async Task<IReadOnlyList<EventOutcome>> AcceptAsync(
        IGrainFactory grains, PixelEventQueue queue, string organizerId, string pixelId, List<(int Index, ValidatedEvent Event)> items, CancellationToken cancellationToken)
    {
        if (!items[0].Event.Connection.TestMode)
        {
            return await queue.AcceptAsync(organizerId, pixelId, [.. items.Select(x => x.Event.Event)]);
        }
        // Test events travel one by one, as TikTok's test tooling expects.
        var pixel = grains.Pixel(organizerId, pixelId);
        var sent = new List<EventOutcome>();
        foreach (var (_, item) in items)
        {
            sent.Add(item.Event.SkipReason is null ? await pixel.SendTestAsync(item.Event, cancellationToken) : (await pixel.AcceptAsync([item.Event], cancellationToken))[0]);
        }
        return sent;
    }

    public static async Task<Results<Ok<EventStatusResponse>, ProblemHttpResult>> GetEventAsync(
        string eventId, string? pixelId, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        var connections = await directory.GetAsync(organizerId, cancellationToken);
        var candidates = pixelId is null ? connections : [.. connections.Where(c => c.PixelId == pixelId)];
        foreach (var connection in candidates)
        {
            var found = await grains.Pixel(organizerId, connection.PixelId).GetEventAsync(eventId, cancellationToken);
            if (found.Count > 0)
            {
                return TypedResults.Ok(new EventStatusResponse(eventId, connection.PixelId, [.. found.Select(e => new EventStatusItem(
                    e.EventName, e.EventSource, e.Status, e.Reason, e.AcceptedAt, e.DeliveredAt, e.FailedAt, e.RequestId, e.Code, e.Message, e.Attempts, e.TraceId))]));
            }
        }
        return Problems.NotFound($"No event {eventId} is known for {(pixelId is null ? "this organizer's pixels" : $"pixel {pixelId}")} (statuses are kept for 7 days).");
    }

    public static async Task<Results<Ok<PixelStatusResponse>, ProblemHttpResult>> GetPixelStatusAsync(
        string pixelId, ClaimsPrincipal user, ConnectionDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var organizerId = user.OrganizerId();
        if (!await directory.IsConnectedAsync(organizerId, pixelId, cancellationToken))
        {
            return Problems.PixelNotConnected(pixelId);
        }
        var s = await grains.Pixel(organizerId, pixelId).GetStatusAsync(cancellationToken);
        return TypedResults.Ok(new PixelStatusResponse(s.PixelId, s.Connected, s.BufferDepth, s.BudgetLeftToday, s.EventsPerDay, s.RequestsPerSecond,
            s.LastFlushAt, s.LastError, s.LastEventSent, s.BackoffUntil, s.Counts));
    }

    private static ProblemHttpResult Rejected(EventRejection error)
        => Problems.Create(error.HttpStatus, error.Code == 40001 ? "invalid_pixel" : error.Code == 40003 ? "invalid_user_data" : "invalid_event",
            error.Code == 40001 ? "Invalid pixel" : error.Code == 40003 ? "Invalid user data" : "Invalid event", $"{error.Field}: {error.Message}".TrimStart(':', ' '),
            new Dictionary<string, object?> { ["tiktok_code"] = error.Code, ["field"] = error.Field });
}
