using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// A generated mix with known percentages per match key: the shares the API reports are exactly those,
/// on PostgreSQL and on the embedded in-memory store alike.
/// </summary>
public abstract class MatchQualityTests(GatewayFactory factory)
{
    private const string Api = "/api/integrations/tiktok-ads";

    // Per event name: how many events, and for event i whether it carries each key.
    private static JsonObject Purchase(int i) => Mix("CompletePayment", i,
        email: i % 10 < 8, phone: i % 2 == 0, externalId: i % 10 < 3, ttclid: i % 5 < 2, ttp: i % 5 == 0, ip: i % 10 < 7, agent: i % 10 >= 1);

    private static JsonObject View(int i) => Mix("ViewContent", i,
        email: i % 4 == 0, phone: false, externalId: true, ttclid: i % 8 == 0, ttp: i % 2 == 1, ip: true, agent: i % 4 < 3);

    private static readonly Dictionary<string, Dictionary<string, double>> Truth = new()
    {
        ["CompletePayment"] = new() { ["email"] = 0.8, ["phone"] = 0.5, ["external_id"] = 0.3, ["ttclid"] = 0.4, ["ttp"] = 0.2, ["ip_user_agent"] = 0.6, ["event_id"] = 1 },
        ["ViewContent"] = new() { ["email"] = 0.25, ["phone"] = 0, ["external_id"] = 1, ["ttclid"] = 0.125, ["ttp"] = 0.5, ["ip_user_agent"] = 0.75, ["event_id"] = 1 },
    };

    private static JsonObject Mix(string name, int i, bool email, bool phone, bool externalId, bool ttclid, bool ttp, bool ip, bool agent)
    {
        var user = new JsonObject();
        var context = new JsonObject { ["page_url"] = "https://tickets.example/event" };
        if (email) { user["email"] = $"buyer{i}@example.com"; }
        if (phone) { user["phone"] = $"+40 721 {i:000} 000"; }
        if (externalId) { user["external_id"] = $"member-{i}"; }
        if (ttclid) { context["ttclid"] = $"E.C.P.{i}"; }
        if (ttp) { context["ttp"] = $"ttp-{i}"; }
        if (ip) { context["ip"] = "198.51.100.7"; }
        if (agent) { context["user_agent"] = "Mozilla/5.0 (mix)"; }
        return new JsonObject
        {
            ["event_type"] = name,
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event_id"] = $"{name.ToLowerInvariant()}_mix_{i}",
            ["user"] = user,
            ["context"] = context,
            ["consent"] = new JsonObject { ["granted"] = true },
        };
    }

    [Fact]
    public async Task Match_quality_shares_equal_the_known_percentages_of_a_generated_mix()
    {
        var (key, pixel, _) = await factory.PixelAsync("Match quality");
        using var client = factory.As(key);
        // Kept from TikTok (no consent): stored, never sent, and not counted.
        var withheld = Purchase(1000);
        withheld["consent"] = new JsonObject { ["granted"] = false };
        using (var sent = await GatewayFactory.PostBatchAsync(client, [.. Enumerable.Range(0, 100).Select(Purchase), .. Enumerable.Range(0, 40).Select(View), withheld]))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        var report = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/match-quality?hours=1"))!;

        var rows = report["event_types"]!.AsArray().ToDictionary(r => (string)r!["event_name"]!, r => r!);
        Assert.Equal(100, (long)rows["CompletePayment"]["events"]!);
        Assert.Equal(40, (long)rows["ViewContent"]["events"]!);
        foreach (var (name, shares) in Truth)
        {
            var coverage = rows[name]["coverage"]!.AsObject();
            Assert.Equal(shares.OrderBy(s => s.Key), coverage.Select(c => KeyValuePair.Create(c.Key, (double)c.Value!)).OrderBy(c => c.Key));
        }
        // 2.5*0.8 + 2*0.5 + 2*0.4 + 1*0.3 + 1*0.2 + 1*0.6 + 0.5*1 = 5.4
        Assert.Equal(5.4, (double)rows["CompletePayment"]["estimated_score"]!);
        Assert.Equal(140, (long)report["overall"]!["events"]!);
        Assert.Equal(1, (int)report["hours"]!);
        Assert.Contains("estimate", (string)report["score_note"]!, StringComparison.Ordinal);
        Assert.Empty(report["warnings"]!.AsArray());
    }
}

public sealed class MatchQualityPostgresTests(GatewayFactory factory) : MatchQualityTests(factory), IClassFixture<GatewayFactory>;

public sealed class MatchQualityEmbeddedTests(EmbeddedGatewayFactory factory) : MatchQualityTests(factory), IClassFixture<EmbeddedGatewayFactory>;
