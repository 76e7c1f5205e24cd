using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Grains.Leads;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>A node whose alert rules are evaluated every second and whose webhook retries quickly.</summary>
public sealed class AlertGatewayFactory : GatewayFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Settings["Leads:AllowPrivateCallbackAddresses"] = "true";
        Settings["Cluster:MinimumReminderPeriod"] = "00:00:01";
        Settings["Alerts:EvaluationInterval"] = "00:00:01";
        Settings["Alerts:RetryBaseDelay"] = "00:00:00.100";
        Settings["Alerts:RetryMaxDelay"] = "00:00:00.500";
    }
}

/// <summary>Alerts through a node on PostgreSQL and the sandbox: they fire, resolve, and reach a signed webhook at least once.</summary>
public sealed class AlertTests(AlertGatewayFactory factory) : IClassFixture<AlertGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private const string Secret = "alert-signing-secret-0123";

    [Fact]
    public async Task A_rejected_token_fires_an_alert_that_resolves_on_reconnect_and_a_receiver_down_for_a_while_still_gets_both()
    {
        var (key, pixel, token) = await factory.PixelAsync("Alerted");
        using var client = factory.As(key);
        var port = FreePort.Next();
        using (var set = await client.PutAsJsonAsync($"{Api}/alerts/webhook", new JsonObject { ["url"] = $"http://127.0.0.1:{port}/leads", ["signing_secret"] = Secret }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        factory.Sandbox.State.Grants.Revoke(token);
        using (var sent = await client.PostAsJsonAsync($"{Api}/events", GatewayFactory.Event(1)))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }
        var active = await WaitForAlertsAsync(client, a => (string?)a["rule"] == "reauthorization_required" && (string?)a["state"] == "active");
        var webhook = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonObject>($"{Api}/alerts/webhook")!, w => (int)w!["pending"]! >= 1 && w["last_error"] is not null);

        var advertiser = (string)(await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!["advertiser_id"]!;
        var fresh = factory.Sandbox.AddToken([advertiser], [pixel]);
        using (var reconnect = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = pixel, ["access_token"] = fresh, ["advertiser_id"] = advertiser }))
        {
            Assert.Equal(HttpStatusCode.OK, reconnect.StatusCode);
        }
        var resolved = await WaitForAlertsAsync(client, a => (string?)a["rule"] == "reauthorization_required" && (string?)a["state"] == "resolved");
        await using var receiver = await CallbackReceiver.StartAsync(port);
        await Eventually.ReadAsync(() => Task.FromResult(Reauthorization(receiver).Count), n => n >= 2);

        Assert.Contains("could not be reached", (string)webhook!["last_error"]!, StringComparison.Ordinal);
        Assert.Equal(pixel, (string?)active["pixel_id"]);
        Assert.NotNull(resolved["resolved_at"]);
        // The failed sends also trip failure_ratio; each alert reaches the receiver fired, then resolved.
        Assert.Equal(["alert.fired", "alert.resolved"], Reauthorization(receiver).Select(c => (string)JsonNode.Parse(c.Body)!["type"]!));
        foreach (var call in receiver.Calls)
        {
            var signature = call.Headers["x-tiktokads-signature"];
            var t = long.Parse(signature.Split(',')[0][2..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(LeadCallback.Sign(Secret, t, call.Body), signature);
            Assert.Equal((string)JsonNode.Parse(call.Body)!["id"]!, call.Headers["idempotency-key"]);
        }
        Assert.Equal(receiver.Calls.Count, receiver.Calls.Select(c => c.Headers["idempotency-key"]).Distinct().Count());
    }

    private static List<ReceivedCall> Reauthorization(CallbackReceiver receiver)
        => [.. receiver.Calls.Where(c => (string?)JsonNode.Parse(c.Body)!["alert"]!["rule"] == "reauthorization_required")];

    [Fact]
    public async Task A_receiver_that_fails_gets_each_alert_again_until_it_acknowledges_it()
    {
        var (key, _, _) = await factory.PixelAsync("Flaky receiver", new JsonObject { ["events_per_day"] = 3 });
        using var client = factory.As(key);
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.FailNext(4);
        using (var set = await client.PutAsJsonAsync($"{Api}/alerts/webhook", new JsonObject { ["url"] = receiver.Url, ["signing_secret"] = Secret }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        using (var batch = await GatewayFactory.PostBatchAsync(client, Enumerable.Range(0, 5).Select(i => GatewayFactory.Event(i))))
        {
            Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        }
        var alert = await WaitForAlertsAsync(client, a => (string?)a["rule"] == "budget_exhausted" && (string?)a["state"] == "active");
        await Eventually.ReadAsync(() => Task.FromResult(receiver.Calls.Count), n => n >= 5);

        using var admin = factory.Admin();
        var dashboard = (await admin.GetFromJsonAsync<JsonArray>("/dashboard/api/alerts"))!;
        Assert.Contains(dashboard, r => (string?)r!["organizer_name"] == "Flaky receiver" && (string?)r["alert"]!["rule"] == "budget_exhausted" && (string?)r["alert"]!["state"] == "active");
        Assert.Contains("2 events wait", (string)alert["message"]!, StringComparison.Ordinal);
        var bodies = receiver.Calls.Select(c => JsonNode.Parse(c.Body)!).ToList();
        Assert.Equal(5, bodies.Count);
        Assert.Single(bodies.Select(b => (string)b["id"]!).Distinct());
        Assert.All(bodies, b => Assert.Equal("budget_exhausted", (string?)b["alert"]!["rule"]));
    }

    [Fact]
    public async Task A_delivery_drop_fires_from_the_pixels_hourly_counts_and_another_organizers_same_pixel_id_does_not_count()
    {
        var (organizer, key) = await factory.CreateOrganizerAsync("Dropping");
        var (other, _) = await factory.CreateOrganizerAsync("Steady");
        var pixel = "PX" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        await factory.ConnectAsync(key, pixel);
        // 400 events in every hour of the last 8 days, except 10 in the last three hours (whichever hour is the last
        // full one when the rules run); another organizer's pixel of the same id delivers 400 in those hours too.
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(factory.Postgres))
        await using (var history = dataSource.CreateCommand("""
            INSERT INTO pixel_delivered_hours (pixel_key, hour, events)
            SELECT k, h, CASE WHEN k = $1 AND h >= date_trunc('hour', now(), 'UTC') - interval '2 hours' THEN 10 ELSE 400 END
            FROM unnest(ARRAY[$1, $2]) AS k, generate_series(date_trunc('hour', now(), 'UTC') - interval '8 days', date_trunc('hour', now(), 'UTC'), interval '1 hour') AS h
            """))
        {
            history.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"{organizer}/{pixel}" });
            history.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"{other}/{pixel}" });
            await history.ExecuteNonQueryAsync();
        }
        using var client = factory.As(key);

        var alert = await WaitForAlertsAsync(client, a => (string?)a["rule"] == "delivery_drop" && (string?)a["state"] == "active");

        Assert.Equal(pixel, (string?)alert["pixel_id"]);
        Assert.StartsWith("10 events were delivered", (string)alert["message"]!, StringComparison.Ordinal);
        Assert.Contains("usually 400", (string)alert["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_start_at_their_defaults_and_a_change_keeps_what_it_does_not_name()
    {
        var (key, _, _) = await factory.PixelAsync("Rules");
        using var client = factory.As(key);

        var defaults = (await client.GetFromJsonAsync<JsonObject>($"{Api}/alerts/rules"))!;
        using var put = await client.PutAsJsonAsync($"{Api}/alerts/rules", new JsonObject { ["oldest_waiting"] = new JsonObject { ["enabled"] = true, ["minutes"] = 5 } });
        var changed = (await put.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(30, (int)defaults["oldest_waiting"]!["minutes"]!);
        Assert.Equal(0.05, (double)defaults["failure_ratio"]!["above_ratio"]!);
        Assert.True((bool)defaults["reconciliation_gap"]!["enabled"]!);
        Assert.Equal(5, (int)changed["oldest_waiting"]!["minutes"]!);
        Assert.Equal(defaults["failure_ratio"]!.ToJsonString(), changed["failure_ratio"]!.ToJsonString());
    }

    [Theory]
    [InlineData("rules", "{\"failure_ratio\":{\"enabled\":true,\"above_ratio\":1.5,\"window_minutes\":15,\"min_requests\":5}}", "failure_ratio.above_ratio")]
    [InlineData("rules", "{\"failure_ratio\":{\"enabled\":true,\"above_ratio\":0.1,\"window_minutes\":0,\"min_requests\":5}}", "failure_ratio.window_minutes")]
    [InlineData("rules", "{\"oldest_waiting\":{\"enabled\":true,\"minutes\":0}}", "oldest_waiting.minutes")]
    [InlineData("rules", "{\"delivery_drop\":{\"enabled\":true,\"below_ratio\":0,\"min_usual_per_hour\":100}}", "delivery_drop.below_ratio")]
    [InlineData("webhook", "{\"url\":\"ftp://receiver.example/alerts\",\"signing_secret\":\"alert-signing-secret-0123\"}", "url")]
    [InlineData("webhook", "{\"url\":\"https://receiver.example/alerts\"}", "signing_secret")]
    [InlineData("webhook", "{\"url\":\"https://receiver.example/alerts\",\"signing_secret\":\"short\"}", "signing_secret")]
    public async Task Out_of_range_rules_and_webhooks_are_a_400_naming_the_field(string route, string body, string field)
    {
        var (key, _, _) = await factory.PixelAsync("Bad alert settings");
        using var client = factory.As(key);

        using var response = await client.PutAsync($"{Api}/alerts/{route}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]![field]);
    }

    /// <summary>The first alert that matches, waited for; a test fails here, saying so, when none came in time.</summary>
    private static async Task<JsonObject> WaitForAlertsAsync(HttpClient client, Func<JsonObject, bool> match)
        => (JsonObject?)await Eventually.ReadAsync(async () => (await client.GetFromJsonAsync<JsonArray>($"{Api}/alerts"))!.FirstOrDefault(a => match((JsonObject)a!)), a => a is not null)
            ?? throw new Xunit.Sdk.XunitException($"No alert matched within Eventually's 60 s; the alerts were: {await client.GetStringAsync(new Uri($"{Api}/alerts", UriKind.Relative))}");
}
