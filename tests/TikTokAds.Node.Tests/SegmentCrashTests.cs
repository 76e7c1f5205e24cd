using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Grains.Events;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>A node killed in the middle of a segment run: its successor finishes the run with the exact set.</summary>
public sealed class SegmentCrashTests(ITestOutputHelper output)
{
    private const string Api = "/api/integrations/tiktok-ads";
    private const string Advertiser = "7000000000000000715";
    private const string Pixel = "PIXELSEG";
    private const int Buyers = 10_000;

    [Fact]
    public async Task After_a_kill_mid_segment_run_tiktok_holds_exactly_the_segment_and_the_run_is_done()
    {
        await using var sandbox = await SandboxHost.StartAsync(o => o.AudienceProcessingTime = TimeSpan.Zero);
        var token = sandbox.AddToken([Advertiser], [Pixel]);
        var settings = await ClusterSettings.CreateAsync("segment_crash", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["Audiences:ReminderPeriod"] = "00:00:02",
            ["Audiences:ReadyPollFirst"] = "00:00:00.200",
            ["Audiences:ReadyPollInterval"] = "00:00:00.200",
            ["Audiences:ChunkSize"] = "500",
            ["Segments:ReminderPeriod"] = "00:00:02",
            ["Segments:PollInterval"] = "00:00:00.200",
        });
        var expected = Enumerable.Range(0, Buyers).Select(i => $"EMAIL_SHA256:{PiiNormalizer.Email(Email(i))}").ToHashSet();
        // Slow TikTok's audience calls so the run is still under way when the node dies.
        sandbox.AddFault(new FaultRule { Path = "segment/mapping/", LatencyMs = 300 });

        string tiktokId;
        string segmentId;
        int beforeKill;
        System.Net.Http.Headers.AuthenticationHeaderValue apiKey;
        await using (var doomed = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await doomed.WaitReadyAsync();
            using var client = await NodeOrganizer.ConnectAsync(doomed, "Segment crash", Pixel, Advertiser, token);
            apiKey = client.DefaultRequestHeaders.Authorization!;
            foreach (var chunk in Enumerable.Range(0, Buyers).Select(Purchase).Chunk(1000))
            {
                using var sent = await client.PostAsJsonAsync($"{Api}/events/batch", new JsonObject { ["events"] = new JsonArray([.. chunk]) });
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            }
            using var created = await client.PostAsJsonAsync($"{Api}/segments", new JsonObject
            {
                ["name"] = "Big spenders", ["event_names"] = new JsonArray("CompletePayment"), ["lookback_days"] = 30, ["min_value"] = 200, ["currency"] = "EUR",
                ["identifiers"] = new JsonArray("email"), ["advertiser_id"] = Advertiser,
            });
            var segment = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            segmentId = (string)segment["id"]!;
            var audience = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{(string)segment["audience_id"]!}");
            tiktokId = (string)audience!["tiktok_audience_id"]!;
            while (sandbox.AudienceMembers(tiktokId).Count < 1500)
            {
                await Task.Delay(50);
            }
            doomed.Kill();
            beforeKill = sandbox.AudienceMembers(tiktokId).Count;
        }
        sandbox.State.Faults.Clear();

        await using var successor = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await successor.WaitReadyAsync();
        using var again = new HttpClient { BaseAddress = successor.BaseAddress };
        again.DefaultRequestHeaders.Authorization = apiKey;
        JsonObject? run = null;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && (string?)run?["status"] != "done")
        {
            await Task.Delay(200);
            run = (await again.GetFromJsonAsync<JsonObject>($"{Api}/segments/{segmentId}"))!["runs"]!.AsArray().FirstOrDefault()?.AsObject();
        }
        var after = sandbox.AudienceMembers(tiktokId);
        output.WriteLine($"members at TikTok when the node was killed: {beforeKill:N0}; after restart: {after.Count:N0}; run: {run}");

        Assert.InRange(beforeKill, 1500, Buyers - 1);
        Assert.True(expected.SetEquals(after), $"TikTok holds {after.Count} members, {after.Except(expected).Count()} unexpected, {expected.Except(after).Count()} missing");
        Assert.Equal(("done", Buyers, Buyers, 0), ((string?)run!["status"], (int)run["total"]!, (int)run["added"]!, (int)run["removed"]!));
    }

    private static string Email(int buyer) => $"spender{buyer}@crash.example";

    private static JsonObject Purchase(int buyer) => new()
    {
        ["event_type"] = "CompletePayment",
        ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["event_id"] = $"order_{buyer}",
        ["user"] = new JsonObject { ["email"] = Email(buyer) },
        ["properties"] = new JsonObject { ["value"] = 300, ["currency"] = "EUR" },
        ["consent"] = new JsonObject { ["granted"] = true },
    };
}
