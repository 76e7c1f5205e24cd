using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.TikTok.Tests.Sandbox;

/// <summary>Each event/track/ rule of the sandbox, with the exact code TikTok answers, inside HTTP 200.</summary>
public sealed class EventValidationTests : IAsyncLifetime
{
    private const string Pixel = "VALIDATIONPIXEL";
    private static readonly string Hash = new('a', 64);
    private SandboxHost _sandbox = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 100_000);
        _token = _sandbox.AddToken(["7000000000000000077"], [Pixel]);
        _sandbox.AddToken(["7000000000000000078"], ["SOMEONE_ELSES_PIXEL"]);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject Event(Action<JsonObject>? change = null)
    {
        var item = new JsonObject
        {
            ["event"] = "Purchase",
            ["event_time"] = Now,
            ["event_id"] = $"purchase_{Guid.NewGuid():N}",
            ["user"] = new JsonObject { ["email"] = Hash, ["phone"] = Hash, ["external_id"] = Hash, ["ttclid"] = "E.C.P.raw-click-id", ["ip"] = "203.0.113.9" },
            ["properties"] = new JsonObject { ["currency"] = "EUR", ["value"] = 59.5, ["content_type"] = "product", ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "ticket-1", ["quantity"] = 2 }) },
            ["page"] = new JsonObject { ["url"] = "https://tickets.example/checkout" },
        };
        change?.Invoke(item);
        return item;
    }

    private static JsonObject Body(string source = "web", string pixel = Pixel, params JsonObject[] events)
        => new() { ["event_source"] = source, ["event_source_id"] = pixel, ["data"] = new JsonArray([.. (events.Length == 0 ? [Event()] : events)]) };

    public static TheoryData<string, string, int> Cases => new()
    {
        { "valid web event", Body().ToJsonString(), 0 },
        { "custom event name on web", Body(events: Event(e => e["event"] = "SeatMapOpened")).ToJsonString(), 0 },
        { "legacy CompletePayment", Body(events: Event(e => e["event"] = "CompletePayment")).ToJsonString(), 0 },
        { "invalid JSON", "{\"event_source\":", 40000 },
        { "body is an array", "[]", 40000 },
        { "unknown event_source", Body(source: "email").ToJsonString(), 40000 },
        { "missing event_source_id", new JsonObject { ["event_source"] = "web", ["data"] = new JsonArray(Event()) }.ToJsonString(), 40000 },
        { "pixel of another token", Body(pixel: "SOMEONE_ELSES_PIXEL").ToJsonString(), 40001 },
        { "no data", new JsonObject { ["event_source"] = "web", ["event_source_id"] = Pixel }.ToJsonString(), 40002 },
        { "empty data", new JsonObject { ["event_source"] = "web", ["event_source_id"] = Pixel, ["data"] = new JsonArray() }.ToJsonString(), 40002 },
        { "1,001 events", Body(events: [.. Enumerable.Range(0, 1001).Select(_ => Event())]).ToJsonString(), 40002 },
        { "custom name on offline", Body(source: "offline", events: Event(e => e["event"] = "SeatMapOpened")).ToJsonString(), 40002 },
        { "custom name with spaces", Body(events: Event(e => e["event"] = "Seat Map!")).ToJsonString(), 40002 },
        { "missing event", Body(events: Event(e => e.Remove("event"))).ToJsonString(), 40002 },
        { "missing event_time", Body(events: Event(e => e.Remove("event_time"))).ToJsonString(), 40002 },
        { "event_time as string", Body(events: Event(e => e["event_time"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToJsonString(), 40002 },
        { "event_time in milliseconds", Body(events: Event(e => e["event_time"] = Now * 1000)).ToJsonString(), 40002 },
        { "event_time an hour ahead", Body(events: Event(e => e["event_time"] = Now + 3600)).ToJsonString(), 40002 },
        { "web event 8 days old", Body(events: Event(e => e["event_time"] = Now - (8 * 86400))).ToJsonString(), 40002 },
        { "offline event 20 days old", Body(source: "offline", events: Event(e => e["event_time"] = Now - (20 * 86400))).ToJsonString(), 0 },
        { "crm event with its lead id", Body(source: "crm", events: Event(e => e["lead"] = new JsonObject { ["lead_id"] = "7300000000000000001" })).ToJsonString(), 0 },
        { "crm event without a lead id", Body(source: "crm").ToJsonString(), 40002 },
        { "unknown currency", Body(events: Event(e => e["properties"]!["currency"] = "XYZ")).ToJsonString(), 40002 },
        { "currency lowercase", Body(events: Event(e => e["properties"]!["currency"] = "eur")).ToJsonString(), 40002 },
        { "negative value", Body(events: Event(e => e["properties"]!["value"] = -1)).ToJsonString(), 40002 },
        { "value as text", Body(events: Event(e => e["properties"]!["value"] = "59,50")).ToJsonString(), 40002 },
        { "numeric content_id", Body(events: Event(e => e["properties"]!["contents"] = new JsonArray(new JsonObject { ["content_id"] = 12 }))).ToJsonString(), 40002 },
        { "raw email", Body(events: Event(e => e["user"]!["email"] = "fan@example.com")).ToJsonString(), 40003 },
        { "uppercase hash", Body(events: Event(e => e["user"]!["email"] = new string('A', 64))).ToJsonString(), 40003 },
        { "raw phone", Body(events: Event(e => e["user"]!["phone"] = "+40721234567")).ToJsonString(), 40003 },
        { "raw external_id", Body(events: Event(e => e["user"]!["external_id"] = "user-17")).ToJsonString(), 40003 },
        { "one bad email in an array", Body(events: Event(e => e["user"]!["email"] = new JsonArray(Hash, "x@y.z"))).ToJsonString(), 40003 },
        { "user not an object", Body(events: Event(e => e["user"] = "fan")).ToJsonString(), 40003 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_rule_answers_its_code_inside_http_200(string rule, string body, int expectedCode)
    {
        using var response = await PostAsync(body, _token);
        var envelope = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(expectedCode == (int)envelope["code"]!, $"{rule}: expected {expectedCode}, got {envelope["code"]} ({envelope["message"]})");
        Assert.False(string.IsNullOrEmpty((string?)envelope["request_id"]));
        Assert.IsType<JsonObject>(envelope["data"]);
    }

    [Fact]
    public async Task Tokens_are_checked_first()
    {
        using var missing = await PostAsync(Body().ToJsonString(), accessToken: null);
        using var unknown = await PostAsync(Body().ToJsonString(), "no-such-token");

        Assert.Equal(40104, (int)(await missing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
        Assert.Equal(40105, (int)(await unknown.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
    }

    [Fact]
    public async Task A_rejected_batch_records_none_of_its_events()
    {
        var good = Event();
        var bad = Event(e => e["user"]!["email"] = "raw@example.com");

        using var response = await PostAsync(Body(events: [good, bad]).ToJsonString(), _token);

        Assert.DoesNotContain(await _sandbox.EventsAsync(Pixel), e => (string?)e!["event_id"] == (string?)good["event_id"]);
    }

    [Fact]
    public async Task A_path_without_its_trailing_slash_is_http_404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "open_api/v1.3/event/track") { Content = new StringContent(Body().ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("Access-Token", _token);

        using var response = await _sandbox.Admin.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "open_api/v1.3/event/track/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (accessToken is not null)
        {
            request.Headers.Add("Access-Token", accessToken);
        }
        return await _sandbox.Admin.SendAsync(request);
    }
}
