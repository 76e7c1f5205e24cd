using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Dead letters, their replay and the request inspector, through a node on PostgreSQL and the sandbox.</summary>
public sealed class DeadLetterTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private static readonly string[] Bad = ["completepayment_17", "completepayment_500", "completepayment_998"];

    [Fact]
    public async Task Three_bad_events_in_a_batch_of_1000_become_dead_letters_and_a_replay_after_the_fix_delivers_exactly_those_three_once()
    {
        var (key, pixel, _) = await factory.PixelAsync("Dead letters");
        using var client = factory.As(key);
        factory.Sandbox.State.Refusals.Add(Bad, "the event's catalogue item is not approved.");

        using (var batch = await GatewayFactory.PostBatchAsync(client, Enumerable.Range(0, 1000).Select(i => GatewayFactory.Event(i))))
        {
            Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        }
        await factory.WaitForSandboxAsync(pixel, 997);
        var letters = await WaitForDeadLettersAsync(client, pixel, 3);

        Assert.Equal(997, factory.Sandbox.State.Events.Stats(pixel).Events);
        Assert.Equal(Bad, letters.Select(l => (string)l!["event_id"]!).Order(StringComparer.Ordinal));
        Assert.All(letters, l => Assert.Equal(40002, (int)l!["code"]!));
        Assert.All(letters, l => Assert.Contains("the event's catalogue item is not approved.", (string)l!["message"]!, StringComparison.Ordinal));
        Assert.All(letters, l => Assert.False(string.IsNullOrEmpty((string?)l!["request_id"])));
        Assert.All(letters, l => Assert.Null(l!["payload"]));

        using (var admin = factory.Admin())
        {
            var organizer = (string)(await admin.GetFromJsonAsync<JsonArray>("/dashboard/api/pixels"))!.Single(p => (string?)p!["pixel_id"] == pixel)!["organizer_id"]!;
            var shown = (await admin.GetFromJsonAsync<JsonObject>($"/dashboard/api/pixels/{organizer}/{pixel}/assurance"))!;
            Assert.Equal(Bad, shown["dead_letters"]!.AsArray().Select(l => (string)l!["event_id"]!).Order(StringComparer.Ordinal));
            Assert.Contains(shown["requests"]!.AsArray(), r => (string?)r!["outcome"] == "invalid_request");
            Assert.NotNull(shown["reconciliation"]!["rows"]);
            Assert.Equal(1000, (long)shown["match_quality"]!["overall"]!["events"]!);
        }

        factory.Sandbox.State.Refusals.Clear();
        using var replay = await client.PostAsJsonAsync($"{Api}/pixels/{pixel}/dead-letters/replay", new JsonObject { ["event_ids"] = new JsonArray([.. Bad.Select(b => (JsonNode)b)]) });
        var replayed = (await replay.Content.ReadFromJsonAsync<JsonObject>())!;
        await factory.WaitForSandboxAsync(pixel, 1000);
        using var again = await client.PostAsJsonAsync($"{Api}/pixels/{pixel}/dead-letters/replay", new JsonObject { ["event_ids"] = new JsonArray([.. Bad.Select(b => (JsonNode)b)]) });
        var second = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        await Task.Delay(1500);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(3, (int)replayed["replayed"]!);
        Assert.Equal(0, (int)second["replayed"]!);
        Assert.Equal(Bad, second["not_found"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        var received = factory.Sandbox.State.Events.Events(pixel, 0, 10_000).Select(e => e.EventId).ToList();
        Assert.Equal(1000, received.Count);
        Assert.Equal(1000, received.Distinct().Count());
        Assert.Empty((await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/dead-letters"))!["dead_letters"]!.AsArray());
        var status = await client.GetFromJsonAsync<JsonObject>($"{Api}/events/completepayment_500");
        Assert.Equal("delivered", (string?)status!["events"]![0]!["status"]);
    }

    [Fact]
    public async Task The_request_inspector_shows_every_request_with_tiktoks_answer_and_the_exact_body_as_ndjson()
    {
        var (key, pixel, _) = await factory.PixelAsync("Inspector");
        using var client = factory.As(key);
        factory.Sandbox.State.Refusals.Add(["addtocart_3"], "refused for the test.");

        using (var batch = await GatewayFactory.PostBatchAsync(client, Enumerable.Range(0, 5).Select(i => GatewayFactory.Event(i, "AddToCart"))))
        {
            Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        }
        await factory.WaitForSandboxAsync(pixel, 4);
        await WaitForDeadLettersAsync(client, pixel, 1);
        var listed = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/requests"))!["requests"]!.AsArray();
        var refused = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/requests?outcome=invalid_request&include_body=true"))!["requests"]!.AsArray();
        using var export = await client.GetAsync($"{Api}/pixels/{pixel}/requests?format=ndjson");
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var atSandbox = factory.Sandbox.State.Events.Requests(pixel);

        Assert.Equal(atSandbox.Count, listed.Count);
        Assert.Equal(atSandbox.Select(r => r.RequestId).Order(StringComparer.Ordinal), listed.Select(r => (string)r!["request_id"]!).Order(StringComparer.Ordinal));
        Assert.All(listed, r => Assert.Null(r!["body"]));
        Assert.All(refused, r => Assert.Equal(40002, (int)r!["code"]!));
        Assert.Contains(refused, r => (int)r!["event_count"]! == 5);
        var sentBody = refused.Single(r => (int)r!["event_count"]! == 5)!["body"]!;
        Assert.Equal(pixel, (string?)sentBody["event_source_id"]);
        Assert.Equal(5, sentBody["data"]!.AsArray().Count);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(listed.Count, lines.Count);
        Assert.All(lines, l => Assert.NotNull(l["body"]));
        var delivered = lines.Where(l => (string)l["outcome"]! == "success").SelectMany(l => l["body"]!["data"]!.AsArray()).Select(e => (string)e!["event_id"]!);
        Assert.Equal(["addtocart_0", "addtocart_1", "addtocart_2", "addtocart_4"], delivered.Order(StringComparer.Ordinal));
        Assert.All(lines.SelectMany(l => l["body"]!["data"]!.AsArray()), e => Assert.Equal(64, ((string)e!["user"]!["email"]!).Length));
    }

    [Theory]
    [InlineData("dead-letters?limit=0", "limit")]
    [InlineData("dead-letters?limit=1001", "limit")]
    [InlineData("dead-letters?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    [InlineData("requests?outcome=maybe", "outcome")]
    [InlineData("requests?format=xml", "format")]
    public async Task Out_of_range_listings_are_a_400_naming_the_parameter(string pathAndQuery, string field)
    {
        var (key, pixel, _) = await factory.PixelAsync("Bad listing");
        using var client = factory.As(key);

        using var response = await client.GetAsync($"{Api}/pixels/{pixel}/{pathAndQuery}");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Theory]
    [InlineData("{}", "event_ids")]
    [InlineData("{\"event_ids\":[]}", "event_ids")]
    [InlineData("{\"event_ids\":[\"\"]}", "event_ids")]
    [InlineData("{\"code\":40002,\"limit\":10001}", "limit")]
    public async Task A_replay_that_selects_nothing_or_too_much_is_a_400(string body, string field)
    {
        var (key, pixel, _) = await factory.PixelAsync("Bad replay");
        using var client = factory.As(key);

        using var response = await client.PostAsync($"{Api}/pixels/{pixel}/dead-letters/replay", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]![field]);
    }

    private static async Task<JsonArray> WaitForDeadLettersAsync(HttpClient client, string pixel, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var letters = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/dead-letters"))!["dead_letters"]!.AsArray();
            if (letters.Count >= count || DateTime.UtcNow > deadline)
            {
                return letters;
            }
            await Task.Delay(100);
        }
    }
}
