using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Assurance;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Reconciliation end to end: events delivered to the sandbox, TikTok's stats with a share dropped, the table and its flags.</summary>
public sealed class ReconciliationTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private static readonly string[] Names = ["CompletePayment", "ViewContent", "AddToCart", "InitiateCheckout"];

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The sandbox's documented drop rule (docs/SANDBOX.md), written out independently of its code.
    private static bool Dropped(string eventId, double share)
        => BitConverter.ToUInt64([.. SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).Take(8).Reverse()]) / Math.Pow(2, 64) < share;

    private async Task SetDropAsync(double share)
    {
        using var response = await factory.Sandbox.Admin.PostAsJsonAsync("sandbox/stats-drop", new JsonObject { ["share"] = share });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<JsonObject> RunAsync(HttpClient client, string pixel, string from, string to)
    {
        using var response = await client.PostAsync($"{Api}/pixels/{pixel}/reconciliation/run?from={from}&to={to}", null);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static Dictionary<string, (long Delivered, long Server, long Gap, bool Flagged)> ByName(JsonObject report)
        => report["rows"]!.AsArray().GroupBy(r => (string)r!["event_name"]!).ToDictionary(g => g.Key, g => (
            g.Sum(r => (long)r!["delivered"]!), g.Sum(r => (long)r!["tiktok_server"]!), g.Sum(r => (long)r!["gap"]!), g.Any(r => (bool)r!["flagged"]!)));

    [Fact]
    public async Task A_day_of_5000_delivered_events_with_2_percent_dropped_shows_each_names_gap_flagged_and_the_flag_clears_at_zero()
    {
        var (organizerId, key) = await factory.CreateOrganizerAsync("Reconciled");
        var (pixel, _, _) = await factory.ConnectAsync(key, "PXRECON5000");
        using var client = factory.As(key);
        var started = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 5000).Select(i => GatewayFactory.Event(i, Names[i % Names.Length])).ToList();
        foreach (var batch in events.Chunk(1000))
        {
            using var response = await GatewayFactory.PostBatchAsync(client, batch);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await WaitForDeliveredAsync(client, pixel, 5000);
        var expected = Names.ToDictionary(n => n, n => events.Where(e => (string)e["event_type"]! == n).Count(e => Dropped((string)e["event_id"]!, 0.02)));
        var (from, to) = (Day(started.AddDays(-1)), Day(DateTimeOffset.UtcNow));
        using (var browser = await factory.Sandbox.Admin.PostAsJsonAsync("sandbox/browser-counts", new JsonObject
        {
            ["pixel_code"] = pixel, ["event"] = "ViewContent", ["date"] = to, ["count"] = 300, ["deduplicated"] = 100,
        }))
        {
            browser.EnsureSuccessStatusCode();
        }

        await SetDropAsync(0.02);
        var dropped = await RunAsync(client, pixel, from, to);
        var shown = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/reconciliation?from={from}&to={to}"))!;
        var flag = await factory.Services.GetRequiredService<IGrainFactory>().Reconciliation(organizerId, pixel).GetFlagAsync();
        var fired = await EvaluateAlertsAsync(client);
        await SetDropAsync(0);
        var cleared = await RunAsync(client, pixel, from, to);
        var flagAfter = await factory.Services.GetRequiredService<IGrainFactory>().Reconciliation(organizerId, pixel).GetFlagAsync();
        var resolved = await EvaluateAlertsAsync(client);

        var gaps = ByName(dropped);
        Assert.Equal(Names.Order(), gaps.Keys.Order());
        Assert.All(Names, n => Assert.Equal((1250L, 1250L - expected[n], (long)expected[n], true), gaps[n]));
        Assert.InRange(expected.Values.Sum(), 70, 130);
        Assert.True((bool)dropped["flagged"]!);
        Assert.Equal("event_time_utc", (string)dropped["day_basis"]!);
        Assert.Equal(dropped["rows"]!.ToJsonString(), shown["rows"]!.ToJsonString());
        Assert.NotNull((string?)shown["last_run_at"]);
        Assert.True(flag.Flagged);
        Assert.Equal(Names.Length, flag.Rows.Select(r => r.EventName).Distinct().Count());
        var viewContentToday = dropped["rows"]!.AsArray().Single(r => (string)r!["event_name"]! == "ViewContent" && (string)r["day"]! == to)!;
        Assert.Equal((300L, 100L), ((long)viewContentToday["tiktok_browser"]!, (long)viewContentToday["overlap"]!));
        Assert.Equal((long)viewContentToday["tiktok_server"]! + 200, (long)viewContentToday["tiktok_total"]!);

        Assert.All(ByName(cleared).Values, v => Assert.Equal((1250L, 1250L, 0L, false), v));
        Assert.False((bool)cleared["flagged"]!);
        Assert.False(flagAfter.Flagged);
        var gapAlert = Assert.Single(fired["fired"]!.AsArray(), a => (string)a!["rule"]! == "reconciliation_gap")!;
        Assert.Equal(pixel, (string?)gapAlert["pixel_id"]);
        Assert.Contains("server", (string)gapAlert["message"]!, StringComparison.Ordinal);
        Assert.Contains(resolved["resolved"]!.AsArray(), a => (string)a!["rule"]! == "reconciliation_gap");
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonArray>($"{Api}/alerts?state=active"))!, a => (string)a!["rule"]! == "reconciliation_gap");
        Assert.False(await Storage.ContainsAsync(factory.Postgres, "fan1@example.com"));
    }

    [Fact]
    public async Task Alert_evaluations_use_the_flag_a_reconciliation_run_told_them_rather_than_asking_each_pixel_every_time()
    {
        var (organizerId, key) = await factory.CreateOrganizerAsync("Told alerts");
        var (pixel, _, _) = await factory.ConnectAsync(key, "PXTOLD");
        using var client = factory.As(key);
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var now = DateTimeOffset.UtcNow;

        // What a run that found a gap tells the alerts. This pixel's own reconciliation has never run: asked, it has no flag.
        var told = new ReconciliationFlag(true, [new ReconciliationRow(DateOnly.FromDateTime(now.UtcDateTime), "CompletePayment", 1000, 900, 0, 900, 0, 100, 0.1, true, now)], now);
        await grains.Alerts(organizerId).ReconciledAsync(pixel, told);
        var fired = await EvaluateAlertsAsync(client);
        var own = await grains.Reconciliation(organizerId, pixel).GetFlagAsync();
        // A real run (nothing delivered, nothing counted) tells them there is no gap.
        await RunAsync(client, pixel, Day(now.AddDays(-1)), Day(now));
        var resolved = await EvaluateAlertsAsync(client);

        Assert.False(own.Flagged);
        var alert = Assert.Single(fired["fired"]!.AsArray(), a => (string)a!["rule"]! == "reconciliation_gap")!;
        Assert.Contains("gap 100", (string)alert["message"]!, StringComparison.Ordinal);
        Assert.Contains(resolved["resolved"]!.AsArray(), a => (string)a!["rule"]! == "reconciliation_gap");
    }

    private static async Task<JsonObject> EvaluateAlertsAsync(HttpClient client)
    {
        using var response = await client.PostAsync($"{Api}/alerts/evaluate", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task Connecting_a_pixel_schedules_its_daily_reconciliation_as_a_durable_reminder()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Scheduled");
        var (pixel, _, _) = await factory.ConnectAsync(key, "PXRECONDAILY");

        var found = 0L;
        for (var attempt = 0; attempt < 50 && found == 0; attempt++)
        {
            await using var dataSource = NpgsqlDataSource.Create(factory.Postgres);
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'reconcile' AND grain_id LIKE '%' || $1 AND period_ms = 86400000");
            command.Parameters.Add(new NpgsqlParameter { Value = pixel });
            found = (long)(await command.ExecuteScalarAsync())!;
            await Task.Delay(found == 0 ? 100 : 0);
        }

        Assert.Equal(1, found);
    }

    [Theory]
    [InlineData("/reconciliation?from=2026-01-01&to=2026-01-31", "to")]
    [InlineData("/reconciliation?from=2026-01-05&to=2026-01-04", "from")]
    [InlineData("/reconciliation?from=05/01/2026&to=2026-01-06", "from")]
    [InlineData("/reconciliation?to=2999-01-01&from=2998-12-30", "to")]
    [InlineData("/match-quality?hours=0", "hours")]
    [InlineData("/match-quality?hours=721", "hours")]
    [InlineData("/match-quality?hours=abc", "hours")]
    public async Task Bad_ranges_are_a_400_problem_naming_the_parameter(string route, string field)
    {
        var (key, pixel, _) = await factory.PixelAsync("Ranges");
        using var client = factory.As(key);

        using var get = await client.GetAsync($"{Api}/pixels/{pixel}{route}");
        using var run = route.StartsWith("/reconciliation", StringComparison.Ordinal)
            ? await client.PostAsync($"{Api}/pixels/{pixel}/reconciliation/run{route["/reconciliation".Length..]}", null)
            : null;

        foreach (var response in new[] { get, run }.OfType<HttpResponseMessage>())
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("invalid_request", (string)problem["code"]!);
            Assert.NotNull(problem["errors"]![field]);
        }
    }

    [Fact]
    public async Task Another_organizers_pixel_is_not_found_on_every_assurance_route()
    {
        var (keyA, _, _) = await factory.PixelAsync("Assurance A");
        var (_, pixelOfB, _) = await factory.PixelAsync("Assurance B");
        using var a = factory.As(keyA);
        var statsCalls = factory.Sandbox.CallsTo("pixel/event/stats/");

        using var reconciliation = await a.GetAsync($"{Api}/pixels/{pixelOfB}/reconciliation");
        using var run = await a.PostAsync($"{Api}/pixels/{pixelOfB}/reconciliation/run", null);
        using var quality = await a.GetAsync($"{Api}/pixels/{pixelOfB}/match-quality");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { reconciliation.StatusCode, run.StatusCode, quality.StatusCode });
        Assert.Equal(statsCalls, factory.Sandbox.CallsTo("pixel/event/stats/"));
    }

    private static async Task WaitForDeliveredAsync(HttpClient client, string pixel, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long delivered = 0;
        while (DateTime.UtcNow < deadline && delivered < count)
        {
            var status = (await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/status"))!;
            delivered = (long?)status["counts"]?["delivered"] ?? 0;
            await Task.Delay(delivered < count ? 200 : 0);
        }
        Assert.Equal(count, delivered);
    }
}
