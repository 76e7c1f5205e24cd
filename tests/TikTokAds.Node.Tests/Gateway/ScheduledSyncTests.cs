using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>A scheduled sync waits for the daily sync hour, on a clock the test moves.</summary>
public sealed class ScheduledSyncTests : IAsyncLifetime
{
    private const string Api = "/api/integrations/tiktok-ads";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly GatewayFactory _factory = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _factory.Clock = _clock;
        _factory.Settings["Audiences:ScheduledHourUtc"] = ((_clock.GetUtcNow().Hour + 1) % 24).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory.Settings["Cluster:MinimumReminderPeriod"] = "00:00:01";
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task A_scheduled_sync_runs_at_its_hour_and_not_before()
    {
        var (_, key) = await _factory.CreateOrganizerAsync("Nightly");
        var (_, advertiser, _) = await _factory.ConnectAsync(key, "PIXELNIGHT");
        using var client = _factory.As(key);
        var audience = (await (await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = advertiser, ["custom_audience_name"] = "Nightly" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var audienceId = (string)audience["id"]!;
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the sandbox's own (real) processing time

        using var sync = await client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/sync", new JsonObject
        {
            ["action"] = "APPEND", ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["trigger"] = "scheduled",
            ["members"] = new JsonArray([.. Enumerable.Range(0, 20).Select(i => (JsonNode)new JsonArray($"night{i}@example.com"))]),
        });
        var hour = new DateTimeOffset(_clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddHours(_clock.GetUtcNow().Hour + 1);
        _clock.SetUtcNow(hour.AddSeconds(-5));
        await Task.Delay(500);
        var beforeHour = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}");
        for (var step = 0; step < 200 && (string?)(await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}"))!["runs"]![0]!["status"] != "done"; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(150);
        }
        var afterHour = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}");

        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
        Assert.Equal("scheduled", (string?)(await sync.Content.ReadFromJsonAsync<JsonObject>())!["status"]);
        Assert.Equal("scheduled", (string?)beforeHour!["runs"]![0]!["status"]);
        Assert.Equal(0, (long)beforeHour["members"]!);
        Assert.Equal(20, (long)afterHour!["members"]!);
        Assert.Equal("done", (string?)afterHour["runs"]![0]!["status"]);
        Assert.True(afterHour["runs"]![0]!["started_at"]!.GetValue<DateTimeOffset>() >= hour, "the run started before its hour");
        Assert.Equal(20, _factory.Sandbox.State.Audiences.Find((string)audience["tiktok_audience_id"]!)!.Members.Count);
    }
}
