using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>The 50,001st event of a UTC day waits for the next day, on a clock the test moves.</summary>
public sealed class DailyBudgetTests : IAsyncLifetime
{
    private const string Api = "/api/integrations/tiktok-ads";

    // Yesterday 23:50: event times stay within the sandbox's (real-clock) window, and midnight is far
    // enough away for the day's 50,000 to go out however slowly this machine runs the flushes.
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(23).AddMinutes(50), TimeSpan.Zero));
    private readonly GatewayFactory _factory = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _factory.Clock = _clock;
        _factory.Sandbox.State.Options.RequestsPerSecondPerPixel = 100_000;
        _factory.Settings["Pixels:ReminderPeriod"] = "00:00:30";
        _factory.Settings["Cluster:MinimumReminderPeriod"] = "00:00:01";
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task The_50001st_event_of_a_day_stays_buffered_and_goes_out_after_utc_midnight()
    {
        var (_, key) = await _factory.CreateOrganizerAsync("Busy day");
        await _factory.ConnectAsync(key, "PIXELDAY");
        using var client = _factory.As(key);

        for (var batch = 0; batch < 51; batch++)
        {
            var events = Enumerable.Range(batch * 1000, batch == 50 ? 1 : 1000).Select(i =>
            {
                var e = GatewayFactory.Event(i, "ViewContent");
                e["event_time"] = _clock.GetUtcNow().ToUnixTimeSeconds();
                return e;
            });
            using var response = await GatewayFactory.PostBatchAsync(client, events);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        // Move the clock a window at a time so flushes run; stop short of midnight.
        var midnight = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        for (var step = 0; step < 400 && _factory.Sandbox.State.Events.Stats("PIXELDAY").Events < 50_000; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1.2));
            await Task.Delay(100);
        }
        await Task.Delay(500);
        Assert.True(_clock.GetUtcNow() < midnight, "the clock reached midnight before the day's budget was used");
        var beforeMidnight = _factory.Sandbox.State.Events.Stats("PIXELDAY").Events;
        var status = await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/PIXELDAY/status");
        var last = await client.GetFromJsonAsync<JsonObject>($"{Api}/events/viewcontent_50000");

        _clock.SetUtcNow(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddSeconds(1));
        for (var step = 0; step < 50 && _factory.Sandbox.State.Events.Stats("PIXELDAY").Events < 50_001; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }
        var afterMidnight = await client.GetFromJsonAsync<JsonObject>($"{Api}/events/viewcontent_50000");

        Assert.Equal(50_000, beforeMidnight);
        Assert.Equal(0, (int)status!["budget_left_today"]!);
        Assert.Equal(1, (int)status["buffer_depth"]!);
        Assert.Equal("accepted", (string?)last!["events"]![0]!["status"]);
        Assert.Equal(50_001, _factory.Sandbox.State.Events.Stats("PIXELDAY").Events);
        Assert.Equal("delivered", (string?)afterMidnight!["events"]![0]!["status"]);
    }
}
