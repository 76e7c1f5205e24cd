using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// Input that once crashed a request or was stored only by some providers, on a PostgreSQL node: every one is
/// a 4xx ProblemDetails now, and nothing of it is stored.
/// </summary>
public sealed class HostileInputTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>, IAsyncLifetime
{
    private const string Api = "/api/integrations/tiktok-ads";
    private string _key = null!;
    private string _pixel = null!;

    public async Task InitializeAsync() => (_key, _pixel, _) = await factory.PixelAsync("Hostile input");

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> JsonRoutes => new()
    {
        { "POST", Api + "/events" },
        { "POST", Api + "/events/batch" },
        { "POST", Api + "/connect" },
        { "POST", Api + "/audiences" },
        { "POST", Api + "/audiences/aud_1/lookalike" },
        { "PUT", Api + "/leads/ads/1800000000000000001" },
        { "PUT", Api + "/leads/callback" },
        { "POST", "/webhooks/tiktok/leads" },
    };

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task A_body_in_an_unknown_or_non_utf8_charset_is_refused_with_415(string method, string path)
    {
        using var client = factory.As(_key);

        foreach (var charset in new[] { "bogus", "utf-16", "iso-8859-1", "\"\"x" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            using var response = await client.SendAsync(request);

            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_charset");
        }
    }

    [Fact]
    public async Task A_utf8_charset_in_any_spelling_is_read_as_usual()
    {
        using var client = factory.As(_key);

        foreach (var charset in new[] { "utf-8", "UTF-8", "\"utf-8\"", "utf8" })
        {
            var body = GatewayFactory.Event(Random.Shared.Next()).ToJsonString();
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.Remove("Content-Type");
            content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            using var response = await client.PostAsync($"{Api}/events", content);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_lookalike_with_a_null_location_or_an_overlong_name_is_a_400()
    {
        using var client = factory.As(_key);

        using var nullLocation = await client.PostAsync($"{Api}/audiences/aud_1/lookalike", Json("""{"audience_size":"BALANCED","location_ids":[null]}"""));
        using var tooMany = await client.PostAsync($"{Api}/audiences/aud_1/lookalike", Json($$"""{"audience_size":"BALANCED","location_ids":[{{string.Join(',', Enumerable.Repeat("\"6252001\"", 101))}}]}"""));
        using var longName = await client.PostAsync($"{Api}/audiences/aud_1/lookalike", Json($$"""{"audience_size":"BALANCED","custom_audience_name":"{{new string('n', 129)}}"}"""));

        await AssertProblemAsync(nullLocation, HttpStatusCode.BadRequest, "invalid_request", "location_ids");
        await AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, "invalid_request", "location_ids");
        await AssertProblemAsync(longName, HttpStatusCode.BadRequest, "invalid_request", "custom_audience_name");
    }

    [Fact]
    public async Task The_dashboard_login_answers_a_nul_key_with_400_and_a_non_form_body_with_415()
    {
        using var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = factory.ServerAddress });

        using var nul = await browser.PostAsync("/dashboard/login", new StringContent("key=%00", Encoding.ASCII, "application/x-www-form-urlencoded"));
        using var json = await browser.PostAsync("/dashboard/login", Json("""{"key":"x"}"""));
        using var empty = await browser.PostAsync("/dashboard/login", null);

        // ASP.NET's form reader refuses the NUL itself; the answer says so.
        await AssertProblemAsync(nul, HttpStatusCode.BadRequest, "invalid_request", "invalid characters");
        Assert.False(nul.Headers.Contains("Set-Cookie"));
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertProblemAsync(empty, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B\u200B")] // zero-width spaces
    [InlineData("\u2060\uFEFF\u200D")] // word joiner, BOM, zero-width joiner
    [InlineData("tok\u00E9n-with-accent")]
    public async Task A_token_no_TikTok_token_can_be_is_a_422_not_an_outage(string token)
    {
        var (_, key) = await factory.CreateOrganizerAsync("Invisible token");
        using var client = factory.As(key);

        using var response = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = "PXINVISIBLE", ["access_token"] = token, ["advertiser_id"] = "7100000000000000001" });
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "tiktok_token_rejected");
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.False((bool)connection["connected"]!);
    }

    public static TheoryData<string, string, string, string> NulBodies => new()
    {
        // method, path, body, the field the answer names
        { "POST", "/api/admin/organizers", """{"name":"Fest\u0000ival"}""", "$.name" },
        { "POST", Api + "/events", Event(e => e["event_id"] = "ev\u0000nt"), "$.event_id" },
        { "POST", Api + "/events", Event(e => e["context"]!["user_agent"] = "Mozilla\u0000"), "$.context.user_agent" },
        { "POST", Api + "/events", Event(e => e["context"]!["page_url"] = "https://tickets.example/\u0000"), "$.context.page_url" },
        { "POST", Api + "/events", Event(e => e["properties"]!["contents"]![0]!["content_name"] = "VIP\u0000"), "$.properties.contents[0].content_name" },
        { "POST", Api + "/events/batch", "{\"events\":[" + Event(_ => { }) + "," + Event(e => e["user"]!["external_id"] = "\u0000") + "]}", "$.events[1].user.external_id" },
        { "POST", Api + "/audiences", """{"advertiser_id":"7100000000000000001","custom_audience_name":"Buyers\u0000","id_schema":["EMAIL_SHA256"]}""", "$.custom_audience_name" },
        { "POST", Api + "/audiences/aud_1/sync", """{"action":"APPEND","id_schema":["EMAIL_SHA256"],"members":[["fan@example.com\u0000"]]}""", "$.members[0][0]" },
        { "PUT", Api + "/leads/ads/1800000000000000001", """{"advertiser_id":"7100000000000000001","form_name":"Pass\u0000"}""", "$.form_name" },
        { "PUT", Api + "/leads/ads/1800000000000000001", """{"advertiser_id":"7100000000000000001","form_name":"Pass","utm":{"utm_\u0000source":"tiktok"}}""", "$.utm" },
        { "PUT", Api + "/leads/callback", """{"callback_url":"https://crm.example/\u0000","signing_secret":"s"}""", "$.callback_url" },
    };

    [Theory]
    [MemberData(nameof(NulBodies))]
    public async Task A_nul_character_anywhere_in_a_body_is_a_400_naming_the_field(string method, string path, string body, string field)
    {
        using var client = path.StartsWith("/api/admin", StringComparison.Ordinal) ? factory.Admin() : factory.As(_key);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) });

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request", field);
        Assert.Contains("NUL", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_of_a_refused_nul_body_is_stored()
    {
        using var client = factory.As(_key);
        using var admin = factory.Admin();

        using var ad = await client.PutAsync($"{Api}/leads/ads/1800000000000000002", Json("""{"advertiser_id":"7100000000000000001","form_name":"Pass\u0000"}"""));
        using var organizer = await admin.PostAsync("/api/admin/organizers", Json("""{"name":"Nul\u0000Fest"}"""));
        var marker = "refused-" + Guid.NewGuid().ToString("N");
        using var ev = await client.PostAsync($"{Api}/events", Json(Event(e => e["event_id"] = marker + "\u0000")));
        var ads = (await client.GetFromJsonAsync<JsonArray>($"{Api}/leads/ads"))!;
        var organizers = await admin.GetStringAsync("/api/admin/organizers");

        Assert.Equal(HttpStatusCode.BadRequest, ad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, organizer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ev.StatusCode);
        Assert.DoesNotContain(ads, a => (string?)a!["ad_id"] == "1800000000000000002");
        Assert.DoesNotContain("NulFest", organizers.Replace("\\u0000", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, marker), "a refused event reached the database");
    }

    [Theory]
    [InlineData("/events/ev%00nt")]
    [InlineData("/audiences/aud%00x")]
    [InlineData("/leads/ads/18%0000")]
    public async Task A_nul_character_in_the_path_is_refused_by_the_server_before_any_endpoint(string path)
    {
        using var client = factory.As(_key);

        using var response = await client.GetAsync(Api + path);

        // Kestrel refuses a NUL in the path itself, before the application (and its ProblemDetails) runs.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/oauth/callback?state=org%00x&auth_code=y", "state")]
    [InlineData("/leads?status=failed%00", "status")]
    public async Task A_nul_character_in_a_query_parameter_is_a_400_naming_it(string pathAndQuery, string field)
    {
        using var client = factory.As(_key);

        using var response = await client.GetAsync(Api + pathAndQuery);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Fact]
    public async Task A_repeated_key_is_a_400_on_typed_bodies_and_on_the_lead_webhook()
    {
        using var client = factory.As(_key);
        using var anonymous = factory.CreateClient();

        using var typed = await client.PostAsync($"{Api}/events", Json("""{"event_type":"ViewContent","event_type":"CompletePayment","consent":{"granted":true}}"""));
        using var webhook = await SendSignedAsync(anonymous, """{"object":{"lead_id":"1","lead_id":"2","advertiser_id":"7100000000000000001"}}""");
        using var nestedWebhook = await SendSignedAsync(anonymous, """{"object":{"lead_id":"1","advertiser_id":"7100000000000000001","changes":[{"field":"a","field":"b"}]}}""");

        await AssertProblemAsync(typed, HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(webhook, HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(nestedWebhook, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("""{"object":{"lead_id":"1\u0000","advertiser_id":"7100000000000000001"}}""", "$.object.lead_id")]
    [InlineData("""{"object":{"lead_id":"1","advertiser_id":"7100000000000000001","ad_name":"Spring\u0000"}}""", "$.object.ad_name")]
    [InlineData("""{"object":{"lead_id":"1","advertiser_id":"7100000000000000001","changes":[{"field":"name","value":"Ana\u0000"}]}}""", "$.object.changes[0].value")]
    public async Task A_nul_character_in_a_lead_webhook_is_a_400_naming_the_field(string body, string field)
    {
        using var anonymous = factory.CreateClient();

        using var response = await SendSignedAsync(anonymous, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request", field);
    }

    private static string Event(Action<JsonObject> change)
    {
        var e = GatewayFactory.Event(Random.Shared.Next());
        change(e);
        return e.ToJsonString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/tiktok/leads") { Content = Json(body) };
        request.Headers.Add("X-TikTok-Signature", TikTokAds.Sandbox.State.LeadWebhookSender.Sign(KestrelGatewayFactory.SandboxAppSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return await client.SendAsync(request);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? mentions = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(code, (string)problem["code"]!);
        var detail = (string?)problem["detail"] ?? "";
        if (mentions is not null)
        {
            Assert.True(detail.Contains(mentions, StringComparison.Ordinal) || problem["errors"]?[mentions] is not null, $"the answer does not name {mentions}: {body}");
        }
        return detail;
    }
}
