using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>
/// Every acknowledged event reaches TikTok even when the node holding it dies with kill -9, and the day's event budget
/// still holds when the deliveries before the kill were never written to the pixel's state.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_event_is_delivered_after_the_owning_node_is_killed()
    {
        await using var sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 1000);
        var token = sandbox.AddToken(["7000000000000000600"], ["PIXELCRASH"]);
        var settings = await ClusterSettings.CreateAsync("crash", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["TikTok:MaxRetries"] = "1",
            ["TikTok:RetryBaseDelay"] = "00:00:00.010",
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["Pixels:ReminderPeriod"] = "00:00:02",
            ["Pixels:FailureBackoff"] = "00:00:00.200",
        });
        // TikTok is down while the first node holds the events: nothing can leave before the kill.
        sandbox.AddFault(new FaultRule { Path = "event/track/", AccessToken = token, HttpStatus = 503 });
        var acknowledged = new List<string>();
        await using (var doomed = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await doomed.WaitReadyAsync();
            using var client = await NodeOrganizer.ConnectAsync(doomed, "Crash", "PIXELCRASH", "7000000000000000600", token);
            for (var batch = 0; batch < 3; batch++)
            {
                using var response = await GatewayFactory.PostBatchAsync(client, Enumerable.Range(batch * 1000, 1000).Select(i => GatewayFactory.Event(i, "Lead")));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                acknowledged.AddRange((await response.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray()
                    .Where(r => (string?)r!["status"] == "accepted").Select(r => (string)r!["event_id"]!));
            }
            doomed.Kill();
        }
        var beforeRestart = sandbox.State.Events.Stats("PIXELCRASH").UniqueEvents;
        sandbox.State.Faults.Clear();

        await using var successor = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await successor.WaitReadyAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && sandbox.State.Events.Stats("PIXELCRASH").UniqueEvents < acknowledged.Count)
        {
            await Task.Delay(200);
        }
        var delivered = (await sandbox.EventsAsync("PIXELCRASH")).Select(e => (string)e!["event_id"]!).ToHashSet();
        output.WriteLine($"acknowledged {acknowledged.Count}, delivered before the kill {beforeRestart}, delivered after restart {delivered.Count}");

        Assert.Equal(3000, acknowledged.Count);
        Assert.Equal(0, beforeRestart);
        Assert.DoesNotContain(acknowledged, id => !delivered.Contains(id));
    }

    [Fact]
    public async Task A_pixel_killed_before_writing_its_deliveries_still_keeps_to_its_daily_budget_after_restart()
    {
        await using var sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 1000);
        var token = sandbox.AddToken(["7000000000000000601"], ["PIXELBUDGET"]);
        var settings = await ClusterSettings.CreateAsync("budget_crash", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["Pixels:ReminderPeriod"] = "00:00:02",
            // Deliveries are kept in memory only: the kill below loses every one of them from the pixel's state.
            ["Pixels:StateWriteInterval"] = "01:00:00",
        });
        HttpClient client;
        await using (var doomed = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await doomed.WaitReadyAsync();
            client = await NodeOrganizer.ConnectAsync(doomed, "Budget", "PIXELBUDGET", "7000000000000000601", token, new JsonObject { ["events_per_day"] = 30 });
            using (var first = await GatewayFactory.PostBatchAsync(client, Enumerable.Range(0, 20).Select(i => GatewayFactory.Event(i))))
            {
                Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            }
            // Delivered and settled in the store (the status counts what the store marked delivered).
            await StatusAsync(client, "PIXELBUDGET", s => (long?)s["counts"]?["delivered"] == 20);
            doomed.Kill();
        }
        var apiKey = client.DefaultRequestHeaders.Authorization!.Parameter!;
        client.Dispose();

        await using var successor = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await successor.WaitReadyAsync();
        using var again = new HttpClient { BaseAddress = successor.BaseAddress };
        again.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        using (var second = await GatewayFactory.PostBatchAsync(again, Enumerable.Range(100, 20).Select(i => GatewayFactory.Event(i))))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }
        var status = await StatusAsync(again, "PIXELBUDGET", s => (long?)s["counts"]?["delivered"] >= 30);
        output.WriteLine(status.ToJsonString());

        // 10 more fit in the day's 30; the other 10 wait for tomorrow. Without the recount all 20 would have gone.
        Assert.Equal(30, sandbox.State.Events.Stats("PIXELBUDGET").UniqueEvents);
        Assert.Equal(30L, (long?)status["counts"]!["delivered"]);
        Assert.Equal(10, (int)status["buffer_depth"]!);
        Assert.Equal(0, (int)status["budget_left_today"]!);
    }

    private static Task<JsonObject> StatusAsync(HttpClient client, string pixel, Func<JsonObject, bool> done)
        => Eventually.ReadAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/integrations/tiktok-ads/pixels/{pixel}/status"))!, done);
}
