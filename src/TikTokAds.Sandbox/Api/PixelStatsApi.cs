using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>
/// GET pixel/event/stats/: advertiser_id, pixel_ids (a JSON array of up to 10 TikTok pixel ids) and
/// date_range ({"start_date","end_date"}, UTC, at most 30 days), answered per pixel per event type from
/// what the sandbox received (see <see cref="PixelStatsBook"/>).
/// </summary>
internal static class PixelStatsApi
{
    public const int MaxPixels = 10;
    public const int MaxDays = 30;

    public static IResult Stats(HttpRequest request, SandboxState state)
    {
        var (call, error) = OpenQuery(request, state);
        if (error is not null)
        {
            return error;
        }
        var requestId = call!.RequestId;
        var pixelIds = StringArray(request.Query["pixel_ids"]);
        if (pixelIds.Count == 0)
        {
            return Envelope.Error(40002, "pixel_ids is required: a JSON array of 1 to 10 pixel ids.", requestId);
        }
        if (pixelIds.Count > MaxPixels)
        {
            return Envelope.Error(40002, $"pixel_ids holds {pixelIds.Count} ids; at most {MaxPixels} are accepted.", requestId);
        }
        var (start, end, rangeError) = DateRange(request.Query["date_range"].ToString());
        if (rangeError is not null)
        {
            return Envelope.Error(40002, rangeError, requestId);
        }
        var list = new JsonArray();
        foreach (var pixelId in pixelIds.Distinct(StringComparer.Ordinal))
        {
            if (SandboxPixelIds.CodeOf(pixelId, call.Grant.PixelCodes) is not { } code)
            {
                return Envelope.Error(40001, $"No permission to operate pixel {pixelId} with advertiser {call.AdvertiserId} and this access token.", requestId);
            }
            var counts = state.Stats.Count(code, state.Events.Events(code, 0, int.MaxValue), start, end);
            list.Add(new JsonObject { ["pixel_id"] = pixelId, ["statistics"] = new JsonArray([.. counts.Select(Describe)]) });
        }
        return Envelope.Ok(new JsonObject { ["list"] = list }, requestId);
    }

    private static JsonNode Describe(EventTypeCount count) => new JsonObject
    {
        [TikTokFacts.StandardEvents.Contains(count.Event) ? "pixel_event_type" : "custom_event_type"] = count.Event,
        ["attributed_count"] = count.Attributed,
        // Events from ad previews: the sandbox shows no ads. Test events are not counted anywhere.
        ["preview_count"] = 0,
        ["total_count"] = count.Total,
        ["browser_event_total_count"] = count.Browser,
        ["server_event_total_count"] = count.Server,
    };

    private static (DateOnly Start, DateOnly End, string? Error) DateRange(string json)
    {
        const string Shape = "date_range must be a JSON object {\"start_date\":\"YYYY-MM-DD\",\"end_date\":\"YYYY-MM-DD\"} (UTC).";
        JsonObject? range;
        try
        {
            range = json.Length == 0 ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            range = null;
        }
        if (range is null || !TryDay(range["start_date"], out var start) || !TryDay(range["end_date"], out var end))
        {
            return (default, default, Shape);
        }
        if (end < start)
        {
            return (default, default, "date_range.end_date is before start_date.");
        }
        return end.DayNumber - start.DayNumber >= MaxDays
            ? (default, default, $"date_range spans {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are accepted.")
            : (start, end, null);
    }

    private static bool TryDay(JsonNode? node, out DateOnly day)
        => DateOnly.TryParseExact(String(node), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
