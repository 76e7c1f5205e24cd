using System.Globalization;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Admin;

/// <summary>Controls for pixel/event/stats/: the share of server events it drops, and browser counts.</summary>
internal static class SandboxStatsAdminApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/sandbox").ExcludeFromDescription();
        admin.MapGet("/stats-drop", (SandboxState state) => Results.Text(new JsonObject { ["share"] = state.Stats.DropShare }.ToJsonString(), "application/json"));
        admin.MapPost("/stats-drop", SetDropAsync);
        admin.MapPost("/browser-counts", SetBrowserAsync);
    }

    /// <summary>{"share": 0.02}: from now on pixel/event/stats/ leaves out that share of server events.</summary>
    private static async Task<IResult> SetDropAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        if (!TryDecimal(body["share"], out var share) || share is < 0 or > 1)
        {
            return Results.Problem(statusCode: 400, title: "share must be a number from 0 to 1.");
        }
        state.Stats.DropShare = (double)share;
        return Results.NoContent();
    }

    /// <summary>{"pixel_code","event","date":"YYYY-MM-DD","count","deduplicated"?}: browser events TikTok "received" that day.</summary>
    private static async Task<IResult> SetBrowserAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        var deduplicated = 0L;
        if (String(body["pixel_code"]) is not { Length: > 0 } pixel || String(body["event"]) is not { Length: > 0 } name
            || !DateOnly.TryParseExact(String(body["date"]), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !TryLong(body["count"], out var count) || count < 0
            || (body["deduplicated"] is not null && (!TryLong(body["deduplicated"], out deduplicated) || deduplicated < 0)))
        {
            return Results.Problem(statusCode: 400, title: "Needs pixel_code, event, date (YYYY-MM-DD), count >= 0 and optionally deduplicated >= 0.");
        }
        state.Stats.SetBrowser(pixel, name, day, count, deduplicated);
        return Results.NoContent();
    }
}
