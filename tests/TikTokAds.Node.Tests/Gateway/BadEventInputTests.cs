using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Malformed event requests: each gets a 400 or 413 ProblemDetails with a stable code, never a 5xx.</summary>
public sealed class BadEventInputTests(GatewayFactory factory) : IClassFixture<GatewayFactory>, IAsyncLifetime
{
    private const string Single = "/api/integrations/tiktok-ads/events";
    private const string Batch = "/api/integrations/tiktok-ads/events/batch";
    private string _key = null!;

    public async Task InitializeAsync() => (_key, _, _) = await factory.PixelAsync("Bad input");

    public Task DisposeAsync() => Task.CompletedTask;

    private static string With(Action<JsonObject> change)
    {
        var e = GatewayFactory.Event(1);
        change(e);
        return e.ToJsonString();
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static TheoryData<string, string, string, int> Cases => new()
    {
        // path, rule, body, expected status
        { Single, "invalid JSON", "{\"event_type\":", 400 },
        { Single, "not JSON at all", "event_type=Purchase", 400 },
        { Single, "empty body", "", 400 },
        { Single, "JSON null", "null", 400 },
        { Single, "an array instead of an object", "[]", 400 },
        { Single, "a string instead of an object", "\"Purchase\"", 400 },
        { Single, "event_type missing", With(e => e.Remove("event_type")), 400 },
        { Single, "event_type empty", With(e => e["event_type"] = ""), 400 },
        { Single, "event_type a number", With(e => e["event_type"] = 5), 400 },
        { Single, "unknown event with spaces", With(e => e["event_type"] = "Bought A Ticket!"), 400 },
        { Single, "custom event on offline source", With(e => { e["event_type"] = "SeatMapOpened"; e["event_source"] = "offline"; }), 400 },
        { Single, "event_source app", With(e => e["event_source"] = "app"), 400 },
        { Single, "event_source unknown", With(e => e["event_source"] = "email"), 400 },
        { Single, "crm without lead_id", With(e => e["event_source"] = "crm"), 400 },
        { Single, "event_time in the future", With(e => e["event_time"] = Now + 3600), 400 },
        { Single, "event_time in milliseconds", With(e => e["event_time"] = Now * 1000), 400 },
        { Single, "web event_time 8 days old", With(e => e["event_time"] = Now - (8 * 86400)), 400 },
        { Single, "event_time a boolean", With(e => e["event_time"] = true), 400 },
        { Single, "event_time an unreadable string", With(e => e["event_time"] = "yesterday-ish"), 400 },
        { Single, "event_id too long", With(e => e["event_id"] = new string('x', 129)), 400 },
        { Single, "event_id empty", With(e => e["event_id"] = ""), 400 },
        { Single, "unknown currency", With(e => e["properties"]!["currency"] = "XYZ"), 400 },
        { Single, "currency a number", With(e => e["properties"]!["currency"] = 946), 400 },
        { Single, "negative value", With(e => e["properties"]!["value"] = -10), 400 },
        { Single, "value as text", With(e => e["properties"]!["value"] = "59,90 lei"), 400 },
        { Single, "value without currency", With(e => e["properties"]!.AsObject().Remove("currency")), 400 },
        { Single, "content_type unknown", With(e => e["properties"]!["content_type"] = "ticket"), 400 },
        { Single, "content_id a number", With(e => e["properties"]!["contents"]![0]!["content_id"] = 12345), 400 },
        { Single, "content_id missing", With(e => e["properties"]!["contents"]![0]!.AsObject().Remove("content_id")), 400 },
        { Single, "contents an object", With(e => e["properties"]!["contents"] = new JsonObject { ["content_id"] = "x" }), 400 },
        { Single, "negative quantity", With(e => e["properties"]!["contents"]![0]!["quantity"] = -1), 400 },
        { Single, "properties an array", With(e => e["properties"] = new JsonArray()), 400 },
        { Single, "user a string", With(e => e["user"] = "fan@example.com"), 400 },
        { Single, "email not an email", With(e => e["user"]!["email"] = "not-an-email"), 400 },
        { Single, "email a number", With(e => e["user"]!["email"] = 42), 400 },
        { Single, "phone with letters", With(e => e["user"]!["phone"] = "+40 72A BCD 567"), 400 },
        { Single, "phone too short", With(e => e["user"]!["phone"] = "+40 72"), 400 },
        { Single, "external_id too long", With(e => e["user"]!["external_id"] = new string('u', 300)), 400 },
        { Single, "page_url relative", With(e => e["context"]!["page_url"] = "/checkout"), 400 },
        { Single, "page_url javascript", With(e => e["context"]!["page_url"] = "javascript:alert(1)"), 400 },
        { Single, "ip not an address", With(e => e["context"]!["ip"] = "300.1.2.3"), 400 },
        { Single, "user agent too long", With(e => e["context"]!["user_agent"] = new string('a', 2000)), 400 },
        { Single, "ttclid too long", With(e => e["context"]!["ttclid"] = new string('t', 600)), 400 },
        { Single, "consent.granted a string", With(e => e["consent"]!["granted"] = "yes"), 400 },
        { Single, "pixel_id a number", With(e => e["pixel_id"] = 7), 400 },
        { Single, "10 MB body", "{\"event_type\":\"Purchase\",\"padding\":\"" + new string('p', 10 * 1024 * 1024) + "\"}", 413 },
        { Batch, "events missing", "{}", 400 },
        { Batch, "events empty", "{\"events\":[]}", 400 },
        { Batch, "events not an array", "{\"events\":{\"event_type\":\"Purchase\"}}", 400 },
        { Batch, "1,001 events", "{\"events\":[" + string.Join(',', Enumerable.Repeat("{\"event_type\":\"ViewContent\",\"consent\":{\"granted\":true}}", 1001)) + "]}", 400 },
        { Batch, "every event invalid", "{\"events\":[{\"event_type\":\"Nope Nope\"},{\"event_type\":\"\"}]}", 400 },
        { Batch, "an item of the wrong type", "{\"events\":[5]}", 400 },
        { Batch, "invalid JSON", "{\"events\":[", 400 },
        { Batch, "10 MB body", "{\"events\":[{\"event_type\":\"Purchase\",\"padding\":\"" + new string('p', 10 * 1024 * 1024) + "\"}]}", 413 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_malformed_request_gets_a_4xx_problem_and_never_a_5xx(string path, string rule, string body, int expected)
    {
        using var client = factory.As(_key);

        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(expected == (int)response.StatusCode, $"{rule}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.False(string.IsNullOrEmpty((string?)problem["code"]), rule);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), rule);
    }

    [Fact]
    public async Task A_batch_answers_per_item_and_keeps_the_valid_ones()
    {
        using var client = factory.As(_key);
        var good = GatewayFactory.Event(900);
        var bad = GatewayFactory.Event(901);
        bad["user"]!["email"] = "nope";

        using var response = await GatewayFactory.PostBatchAsync(client, [good, bad]);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var items = result["results"]!.AsArray();

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(1, (int)result["rejected"]!);
        Assert.Equal(40003, (int)items[1]!["code"]!);
        Assert.Contains("user.email", (string?)items[1]!["message"], StringComparison.Ordinal);
    }
}
