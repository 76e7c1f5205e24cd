using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// Organizer A tries every public endpoint against organizer B's resources. The list of endpoints is read
/// from the running node, so an endpoint added without a case here fails this test.
/// </summary>
public sealed class TenantIsolationTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private sealed record Attempt(string Method, string Route, Func<Context, Task<HttpResponseMessage>> Send, HttpStatusCode[] Allowed);

    private sealed record Context(HttpClient A, string PixelOfB, string TokenOfA, string AdvertiserOfA, string AudienceOfB, string AdvertiserOfB, string OrganizerOfB, string SegmentOfB = "");

    private static readonly Attempt[] Attempts =
    [
        new("GET", "/connection", c => c.A.GetAsync($"{Api}/connection"), [HttpStatusCode.OK]),
        new("POST", "/connect", c => c.A.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = c.PixelOfB, ["access_token"] = c.TokenOfA, ["advertiser_id"] = c.AdvertiserOfA }), [HttpStatusCode.UnprocessableEntity]),
        new("POST", "/connection/{pixelId}/verify", c => c.A.PostAsync($"{Api}/connection/{c.PixelOfB}/verify", null), [HttpStatusCode.NotFound]),
        new("DELETE", "/connection/{pixelId}", c => c.A.DeleteAsync($"{Api}/connection/{c.PixelOfB}"), [HttpStatusCode.NotFound]),
        new("POST", "/events", c => c.A.PostAsJsonAsync($"{Api}/events", WithPixel(GatewayFactory.Event(1), c.PixelOfB)), [HttpStatusCode.NotFound]),
        new("POST", "/events/batch", c => GatewayFactory.PostBatchAsync(c.A, [WithPixel(GatewayFactory.Event(2), c.PixelOfB)]), [HttpStatusCode.BadRequest]),
        new("GET", "/events/{eventId}", c => c.A.GetAsync($"{Api}/events/{EventOfB}?pixel_id={c.PixelOfB}"), [HttpStatusCode.NotFound]),
        new("GET", "/pixels/{pixelId}/status", c => c.A.GetAsync($"{Api}/pixels/{c.PixelOfB}/status"), [HttpStatusCode.NotFound]),
        new("GET", "/pixels/{pixelId}/reconciliation", c => c.A.GetAsync($"{Api}/pixels/{c.PixelOfB}/reconciliation"), [HttpStatusCode.NotFound]),
        new("POST", "/pixels/{pixelId}/reconciliation/run", c => c.A.PostAsync($"{Api}/pixels/{c.PixelOfB}/reconciliation/run", null), [HttpStatusCode.NotFound]),
        new("GET", "/pixels/{pixelId}/match-quality", c => c.A.GetAsync($"{Api}/pixels/{c.PixelOfB}/match-quality"), [HttpStatusCode.NotFound]),
        new("GET", "/pixels/{pixelId}/dead-letters", c => c.A.GetAsync($"{Api}/pixels/{c.PixelOfB}/dead-letters"), [HttpStatusCode.NotFound]),
        new("POST", "/pixels/{pixelId}/dead-letters/replay", c => c.A.PostAsJsonAsync($"{Api}/pixels/{c.PixelOfB}/dead-letters/replay", new JsonObject { ["event_ids"] = new JsonArray(EventOfB) }), [HttpStatusCode.NotFound]),
        new("GET", "/pixels/{pixelId}/requests", c => c.A.GetAsync($"{Api}/pixels/{c.PixelOfB}/requests?format=ndjson"), [HttpStatusCode.NotFound]),
        new("POST", "/audiences", c => c.A.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = c.AdvertiserOfB, ["custom_audience_name"] = "Theirs" }), [HttpStatusCode.UnprocessableEntity]),
        new("GET", "/audiences", c => c.A.GetAsync($"{Api}/audiences"), [HttpStatusCode.OK]),
        new("GET", "/audiences/{audienceId}", c => c.A.GetAsync($"{Api}/audiences/{c.AudienceOfB}"), [HttpStatusCode.NotFound]),
        new("DELETE", "/audiences/{audienceId}", c => c.A.DeleteAsync($"{Api}/audiences/{c.AudienceOfB}"), [HttpStatusCode.NotFound]),
        new("POST", "/audiences/{audienceId}/sync", c => c.A.PostAsJsonAsync($"{Api}/audiences/{c.AudienceOfB}/sync", new JsonObject { ["action"] = "REPLACE", ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["members"] = new JsonArray() }), [HttpStatusCode.NotFound]),
        new("GET", "/ad-groups", c => c.A.GetAsync($"{Api}/ad-groups?advertiser_id={c.AdvertiserOfB}"), [HttpStatusCode.UnprocessableEntity]),
        new("GET", "/audiences/{audienceId}/exclusions", c => c.A.GetAsync($"{Api}/audiences/{c.AudienceOfB}/exclusions"), [HttpStatusCode.NotFound]),
        new("POST", "/audiences/{audienceId}/exclusions", c => c.A.PostAsJsonAsync($"{Api}/audiences/{c.AudienceOfB}/exclusions", new JsonObject { ["adgroup_ids"] = new JsonArray("1790000000000000001") }), [HttpStatusCode.NotFound]),
        new("DELETE", "/audiences/{audienceId}/exclusions", c => c.A.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Api}/audiences/{c.AudienceOfB}/exclusions") { Content = JsonContent.Create(new JsonObject { ["adgroup_ids"] = new JsonArray("1790000000000000001") }) }), [HttpStatusCode.NotFound]),
        new("POST", "/audiences/{audienceId}/lookalike", c => c.A.PostAsJsonAsync($"{Api}/audiences/{c.AudienceOfB}/lookalike", new JsonObject { ["audience_size"] = "NARROW" }), [HttpStatusCode.NotFound]),
        new("POST", "/segments", c => c.A.PostAsJsonAsync($"{Api}/segments", Segment(c.AudienceOfB)), [HttpStatusCode.NotFound]),
        new("GET", "/segments", c => c.A.GetAsync($"{Api}/segments"), [HttpStatusCode.OK]),
        new("POST", "/segments/preview", c => c.A.PostAsJsonAsync($"{Api}/segments/preview", Segment(null)), [HttpStatusCode.OK]),
        new("GET", "/segments/{segmentId}", c => c.A.GetAsync($"{Api}/segments/{c.SegmentOfB}"), [HttpStatusCode.NotFound]),
        new("PUT", "/segments/{segmentId}", c => c.A.PutAsJsonAsync($"{Api}/segments/{c.SegmentOfB}", Segment(null)), [HttpStatusCode.NotFound]),
        new("DELETE", "/segments/{segmentId}", c => c.A.DeleteAsync($"{Api}/segments/{c.SegmentOfB}"), [HttpStatusCode.NotFound]),
        new("POST", "/segments/{segmentId}/sync", c => c.A.PostAsync($"{Api}/segments/{c.SegmentOfB}/sync", null), [HttpStatusCode.NotFound]),
        new("DELETE", "/buyer-data", c => c.A.DeleteAsync($"{Api}/buyer-data"), [HttpStatusCode.OK]),
        new("GET", "/oauth/start", c => c.A.GetAsync($"{Api}/oauth/start"), [HttpStatusCode.ServiceUnavailable]),
        new("GET", "/oauth/callback", c => c.A.GetAsync($"{Api}/oauth/callback?state={c.OrganizerOfB}.guessed&auth_code=stolen"), [HttpStatusCode.BadRequest, HttpStatusCode.ServiceUnavailable]),
        new("GET", "/oauth/authorizations", c => c.A.GetAsync($"{Api}/oauth/authorizations"), [HttpStatusCode.OK]),
        new("DELETE", "/oauth/authorizations/{authorizationId}", c => c.A.DeleteAsync($"{Api}/oauth/authorizations/auth_0000000000000000"), [HttpStatusCode.NotFound]),
        new("GET", "/ad-accounts", c => c.A.GetAsync($"{Api}/ad-accounts"), [HttpStatusCode.OK]),
        new("POST", "/ad-accounts/sync", c => c.A.PostAsync($"{Api}/ad-accounts/sync", null), [HttpStatusCode.OK]),
        new("GET", "/leads/integration", c => c.A.GetAsync($"{Api}/leads/integration"), [HttpStatusCode.OK]),
        new("PUT", "/leads/callback", c => c.A.PutAsJsonAsync($"{Api}/leads/callback", new JsonObject { ["callback_url"] = "https://receiver.example/leads" }), [HttpStatusCode.OK]),
        new("GET", "/leads/ads", c => c.A.GetAsync($"{Api}/leads/ads"), [HttpStatusCode.OK]),
        new("PUT", "/leads/ads/{adId}", c => c.A.PutAsJsonAsync($"{Api}/leads/ads/1800000000000000001", new JsonObject { ["advertiser_id"] = c.AdvertiserOfB }), [HttpStatusCode.OK]),
        new("DELETE", "/leads/ads/{adId}", c => c.A.DeleteAsync($"{Api}/leads/ads/1800000000000000002"), [HttpStatusCode.NotFound]),
        new("GET", "/leads", c => c.A.GetAsync($"{Api}/leads"), [HttpStatusCode.OK]),
        new("GET", "/leads/forms", c => c.A.GetAsync($"{Api}/leads/forms"), [HttpStatusCode.OK]),
        new("POST", "/leads/forms/sync", c => c.A.PostAsJsonAsync($"{Api}/leads/forms/sync", new JsonObject { ["advertiser_id"] = c.AdvertiserOfB }), [HttpStatusCode.OK]),
        new("POST", "/leads/subscriptions", c => c.A.PostAsJsonAsync($"{Api}/leads/subscriptions", new JsonObject { ["advertiser_id"] = c.AdvertiserOfB }), [HttpStatusCode.UnprocessableEntity, HttpStatusCode.ServiceUnavailable]),
        new("POST", "/leads/pull", c => c.A.PostAsJsonAsync($"{Api}/leads/pull", new JsonObject { ["advertiser_id"] = c.AdvertiserOfB, ["ad_id"] = "1800000000000000001" }), [HttpStatusCode.UnprocessableEntity]),
        new("GET", "/alerts", c => c.A.GetAsync($"{Api}/alerts"), [HttpStatusCode.OK]),
        new("POST", "/alerts/evaluate", c => c.A.PostAsync($"{Api}/alerts/evaluate", null), [HttpStatusCode.OK]),
        new("GET", "/alerts/rules", c => c.A.GetAsync($"{Api}/alerts/rules"), [HttpStatusCode.OK]),
        new("PUT", "/alerts/rules", c => c.A.PutAsJsonAsync($"{Api}/alerts/rules", new JsonObject { ["oldest_waiting"] = new JsonObject { ["enabled"] = false, ["minutes"] = 30 } }), [HttpStatusCode.OK]),
        new("GET", "/alerts/webhook", c => c.A.GetAsync($"{Api}/alerts/webhook"), [HttpStatusCode.OK]),
        new("PUT", "/alerts/webhook", c => c.A.PutAsJsonAsync($"{Api}/alerts/webhook", new JsonObject { ["url"] = "https://receiver.example/alerts", ["signing_secret"] = "a-secret-of-a-0123456" }), [HttpStatusCode.OK]),
        new("GET", "/leads/{leadId}", c => c.A.GetAsync($"{Api}/leads/7300000000000000001"), [HttpStatusCode.NotFound]),
        new("POST", "/leads/{leadId}/retry", c => c.A.PostAsync($"{Api}/leads/7300000000000000001/retry", null), [HttpStatusCode.NotFound]),
    ];

    /// <summary>Requests that name B's advertiser themselves; the refusal may echo what A sent.</summary>
    private static readonly string[] NamesTheAdvertiser = ["POST /audiences", "GET /ad-groups", "PUT /leads/ads/{adId}", "POST /leads/forms/sync", "POST /leads/subscriptions", "POST /leads/pull"];

    private const string EventOfB = "completepayment_4242";

    /// <summary>Daily, so that creating it changes nothing at its audience while the attempts run.</summary>
    private static JsonObject Segment(string? audienceId) => new()
    {
        ["name"] = "Buyers", ["event_names"] = new JsonArray("CompletePayment"), ["lookback_days"] = 30, ["min_events"] = 1, ["audience_id"] = audienceId, ["schedule"] = "daily",
    };

    private static JsonObject WithPixel(JsonObject e, string pixel)
    {
        e["pixel_id"] = pixel;
        return e;
    }

    [Fact]
    public async Task Organizer_a_can_neither_see_nor_change_nor_use_organizer_b_pixels()
    {
        var (_, keyA) = await factory.CreateOrganizerAsync("Organizer A");
        var (organizerB, keyB) = await factory.CreateOrganizerAsync("Organizer B");
        var a = await factory.ConnectAsync(keyA, "PIXEL_OF_A");
        var b = await factory.ConnectAsync(keyB, "PIXEL_OF_B");
        using var clientA = factory.As(keyA);
        using var clientB = factory.As(keyB);
        using (var sent = await clientB.PostAsJsonAsync($"{Api}/events", GatewayFactory.Event(4242)))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }
        await factory.WaitForSandboxAsync(b.Pixel, 1);
        using var audience = await clientB.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = b.Advertiser, ["custom_audience_name"] = "B's buyers" });
        var audienceOfB = (string)(await audience.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var bBefore = await clientB.GetStringAsync($"{Api}/connection");
        using var segment = await clientB.PostAsJsonAsync($"{Api}/segments", Segment(audienceOfB));
        var segmentOfB = (string)(await segment.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var bAudienceBefore = await clientB.GetStringAsync($"{Api}/audiences/{audienceOfB}");
        var context = new Context(clientA, b.Pixel, a.Token, a.Advertiser, audienceOfB, b.Advertiser, organizerB, segmentOfB);

        foreach (var attempt in Attempts)
        {
            using var response = await attempt.Send(context);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(attempt.Allowed.Contains(response.StatusCode), $"{attempt.Method} {attempt.Route}: {response.StatusCode} {body}");
            Assert.DoesNotContain(b.Token, body, StringComparison.Ordinal);
            if (!NamesTheAdvertiser.Contains($"{attempt.Method} {attempt.Route}"))
            {
                Assert.DoesNotContain(b.Advertiser, body, StringComparison.Ordinal);
            }
        }
        var bAfter = await clientB.GetStringAsync($"{Api}/connection");
        var bAudienceAfter = await clientB.GetStringAsync($"{Api}/audiences/{audienceOfB}");
        Assert.Equal(bAudienceBefore, bAudienceAfter);
        Assert.DoesNotContain(audienceOfB, await clientA.GetStringAsync($"{Api}/audiences"), StringComparison.Ordinal);
        Assert.DoesNotContain(segmentOfB, await clientA.GetStringAsync($"{Api}/segments"), StringComparison.Ordinal);
        var bSegment = await clientB.GetFromJsonAsync<JsonObject>($"{Api}/segments/{segmentOfB}");
        Assert.Equal(1, (int)bSegment!["size"]!["total"]!);
        var aSees = await clientA.GetStringAsync($"{Api}/connection");

        Assert.Equal(bBefore, bAfter);
        Assert.DoesNotContain(b.Advertiser, aSees, StringComparison.Ordinal);
        Assert.Equal(1, factory.Sandbox.State.Events.Stats(b.Pixel).Events);
        Assert.Equal(0, factory.Sandbox.State.Events.Stats(a.Pixel).Events);
    }

    [Fact]
    public void Every_public_endpoint_is_tried_by_the_isolation_test()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Api, StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText![Api.Length..]}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(routes, Attempts.Select(a => $"{a.Method} {a.Route}").Order(StringComparer.Ordinal));
    }
}
