using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.Api;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Admin;

/// <summary>
/// What TikTok has no API for but tests, benchmarks and demos need: provisioning tokens, simulating
/// consent and leads, injecting faults, and inspecting everything received. Served under /sandbox/.
/// </summary>
internal static class SandboxAdminApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/sandbox").ExcludeFromDescription();
        admin.MapGet("/health", () => Results.Text("Healthy"));
        admin.MapPost("/tokens", AddTokenAsync);
        admin.MapDelete("/tokens/{token}", (string token, SandboxState state) => state.Grants.Revoke(token) ? Results.NoContent() : Results.NotFound());
        admin.MapPost("/oauth/codes", (SandboxState state) => Json(new JsonObject { ["auth_code"] = state.AuthCodes.Issue(state.Grants.OAuthAdvertisers) }));
        admin.MapGet("/events", Events);
        admin.MapGet("/requests", (string? pixel_code, SandboxState state) => Json(JsonSerializer.SerializeToNode(state.Events.Requests(pixel_code), SandboxJsonContext.Default.IReadOnlyListTrackRequestRecord)));
        admin.MapGet("/stats", (string? pixel_code, SandboxState state) => Json(JsonSerializer.SerializeToNode(state.Events.Stats(pixel_code), SandboxJsonContext.Default.EventStats)));
        admin.MapGet("/audiences/{id}", Audience);
        admin.MapGet("/calls", (SandboxState state) => Json(new JsonObject([.. state.Calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))])));
        admin.MapGet("/faults", (SandboxState state) => Json(JsonSerializer.SerializeToNode(state.Faults.Rules, SandboxJsonContext.Default.IReadOnlyListFaultRule)));
        admin.MapPost("/faults", AddFaultAsync);
        admin.MapDelete("/faults", (SandboxState state) => { state.Faults.Clear(); return Results.NoContent(); });
        admin.MapPost("/refusals", AddRefusalsAsync);
        admin.MapDelete("/refusals", (SandboxState state) => { state.Refusals.Clear(); return Results.NoContent(); });
        admin.MapPost("/forms", AddFormAsync);
        admin.MapPost("/leads", AddLeadAsync);
        admin.MapGet("/webhooks", (SandboxState state) => Json(JsonSerializer.SerializeToNode(state.Leads.Deliveries(), SandboxJsonContext.Default.IReadOnlyListWebhookDelivery)));
        admin.MapGet("/adgroups", AdGroups);
        admin.MapPost("/adgroups", AddAdGroupAsync);
        admin.MapPost("/reset", (SandboxState state) => { state.Reset(); return Results.NoContent(); });
        EchoApi.Map(admin);
    }

    private static async Task<IResult> AddTokenAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        var grant = state.Grants.Add(String(body["access_token"]), Strings(body["advertiser_ids"]) ?? [], Strings(body["pixel_codes"]) ?? []);
        return Json(new JsonObject { ["access_token"] = grant.AccessToken });
    }

    private static IResult Events(string? pixel_code, int? offset, int? limit, SandboxState state)
    {
        var events = state.Events.Events(pixel_code, offset ?? 0, Math.Clamp(limit ?? 1000, 1, 100_000));
        var list = new JsonArray();
        foreach (var e in events)
        {
            list.Add(new JsonObject
            {
                ["pixel_code"] = e.PixelCode,
                ["event"] = e.Event,
                ["event_id"] = e.EventId,
                ["event_source"] = e.EventSource,
                ["test_event_code"] = e.TestEventCode,
                ["request_id"] = e.RequestId,
                ["received_at"] = e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
                ["duplicate"] = e.Duplicate,
                ["body"] = e.Body,
            });
        }
        return Json(list);
    }

    private static IResult Audience(string id, bool? members, SandboxState state)
    {
        var audience = state.Audiences.Find(id);
        if (audience is null)
        {
            return Results.NotFound();
        }
        lock (state.Audiences.Sync)
        {
            var description = AudienceApi.Describe(audience, state.Now);
            description["advertiser_id"] = audience.AdvertiserId;
            description["size"] = audience.Size;
            description["updates"] = audience.Updates;
            description["source_audience_id"] = audience.SourceAudienceId;
            if (members == true)
            {
                description["members"] = new JsonArray([.. audience.Members.Order(StringComparer.Ordinal).Select(m => (JsonNode)m)]);
            }
            return Json(description);
        }
    }

    /// <summary>The advertiser's ad groups, each with the audiences applied to it (usage_mode INCLUDE or EXCLUDE).</summary>
    private static IResult AdGroups(string advertiser_id, SandboxState state)
    {
        var list = new JsonArray();
        foreach (var group in state.AdGroups.ForAdvertiser(advertiser_id))
        {
            var description = AdGroupApi.Describe(group);
            description["audiences"] = new JsonArray([.. state.AdGroups.Applied(group.AdGroupId).Select(a => (JsonNode)new JsonObject
            {
                ["custom_audience_id"] = a.AudienceId, ["usage_mode"] = a.UsageMode, ["applied_at"] = a.AppliedAt.ToString("O", CultureInfo.InvariantCulture),
            })]);
            list.Add(description);
        }
        return Json(list);
    }

    /// <summary>{"advertiser_id", "adgroup_name", "campaign_id"?, "buying_type"? (AUCTION or RESERVATION_RF)}: one more ad group.</summary>
    private static async Task<IResult> AddAdGroupAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        if (String(body["advertiser_id"]) is not { Length: > 0 } advertiserId)
        {
            return Results.Problem(statusCode: 400, title: "advertiser_id is required.");
        }
        var buyingType = String(body["buying_type"]) ?? SandboxAdGroup.Auction;
        if (buyingType is not (SandboxAdGroup.Auction or SandboxAdGroup.ReachAndFrequency))
        {
            return Results.Problem(statusCode: 400, title: "buying_type must be AUCTION or RESERVATION_RF.");
        }
        var group = state.AdGroups.Add(advertiserId, String(body["adgroup_name"]) ?? "Ad group", String(body["campaign_id"]), buyingType);
        return Json(AdGroupApi.Describe(group));
    }

    private static async Task<IResult> AddFaultAsync(HttpRequest request, SandboxState state)
    {
        var rule = await JsonSerializer.DeserializeAsync(request.Body, SandboxJsonContext.Default.FaultRule);
        if (rule is null || (rule.Code is null && rule.HttpStatus is null && rule.LatencyMs is null && !rule.Timeout))
        {
            return Results.Problem(statusCode: 400, title: "A fault needs code, http_status, latency_ms or timeout.");
        }
        state.Faults.Add(rule);
        return Results.NoContent();
    }

    /// <summary>{"event_ids": [...], "message": "..."}: this TikTok refuses those events with 40002 until DELETE /sandbox/refusals.</summary>
    private static async Task<IResult> AddRefusalsAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        if (Strings(body["event_ids"]) is not { Count: > 0 } ids)
        {
            return Results.Problem(statusCode: 400, title: "event_ids must list the event ids to refuse.");
        }
        state.Refusals.Add(ids, String(body["message"]) ?? "the event is refused by this pixel's settings.");
        return Results.NoContent();
    }

    private static async Task<IResult> AddFormAsync(HttpRequest request, SandboxState state)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        var form = state.Leads.AddForm(String(body["advertiser_id"]) ?? "", String(body["page_id"]) ?? "", String(body["title"]) ?? "Form", state.Now);
        return Json(new JsonObject { ["page_id"] = form.PageId });
    }

    private static async Task<IResult> AddLeadAsync(HttpRequest request, SandboxState state, LeadWebhookSender sender)
    {
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        var fields = (body["fields"] as JsonObject ?? []).ToDictionary(p => p.Key, p => String(p.Value) ?? p.Value?.ToJsonString() ?? "", StringComparer.Ordinal);
        var lead = state.Leads.AddLead(String(body["advertiser_id"]) ?? "", String(body["page_id"]) ?? "", String(body["ad_id"]) ?? "", fields, state.Now);
        var deliveries = TryLong(body["deliveries"], out var n) ? (int)n : 1;
        sender.Deliver(lead, deliveries);
        return Json(new JsonObject { ["lead_id"] = lead.LeadId });
    }

    private static IResult Json(JsonNode? node) => Results.Text(node?.ToJsonString() ?? "null", "application/json");
}
