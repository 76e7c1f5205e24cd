using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>
/// A node killed in the middle of syncing 100,000 members loses none of them: TikTok ends up with exactly the set,
/// and the node's own record (the member log and the run's progress, stored together a few chunks at a time) agrees.
/// </summary>
public sealed class AudienceCrashTests(ITestOutputHelper output)
{
    private const string Api = "/api/integrations/tiktok-ads";

    [Fact]
    public async Task After_a_kill_mid_sync_of_100000_members_tiktok_holds_exactly_the_full_set()
    {
        await using var sandbox = await SandboxHost.StartAsync(o => o.AudienceProcessingTime = TimeSpan.Zero);
        var token = sandbox.AddToken(["7000000000000000700"], ["PIXELAUD"]);
        var settings = await ClusterSettings.CreateAsync("audience_crash", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["Audiences:ReminderPeriod"] = "00:00:02",
            ["Audiences:ReadyPollFirst"] = "00:00:00.200",
            ["Audiences:ReadyPollInterval"] = "00:00:00.200",
        });
        var emails = Enumerable.Range(0, 100_000).Select(i => $"member{i}@crash.example").ToList();
        var expected = emails.Select(e => $"EMAIL_SHA256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e)))}").ToHashSet();
        // Slow TikTok down so the sync is still running when the node dies.
        sandbox.AddFault(new FaultRule { Path = "segment/mapping/", LatencyMs = 300 });

        string tiktokId;
        string audienceId;
        AuthenticationHeaderValue organizerKey;
        int beforeKill;
        await using (var doomed = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await doomed.WaitReadyAsync();
            using var client = await NodeOrganizer.ConnectAsync(doomed, "Audience crash", "PIXELAUD", "7000000000000000700", token);
            using var created = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = "7000000000000000700", ["custom_audience_name"] = "Everyone" });
            var audience = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            tiktokId = (string)audience["tiktok_audience_id"]!;
            audienceId = (string)audience["id"]!;
            organizerKey = client.DefaultRequestHeaders.Authorization!;
            using var sync = await client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/sync", new JsonObject
            {
                ["action"] = "APPEND", ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["members"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonArray(e))]),
            });
            Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
            while (Members(sandbox, tiktokId).Count < 10_000)
            {
                await Task.Delay(50);
            }
            doomed.Kill();
            beforeKill = Members(sandbox, tiktokId).Count;
        }
        sandbox.State.Faults.Clear();

        await using var successor = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await successor.WaitReadyAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && Members(sandbox, tiktokId).Count < expected.Count)
        {
            await Task.Delay(200);
        }
        var after = Members(sandbox, tiktokId);
        using var organizer = new HttpClient { BaseAddress = successor.BaseAddress };
        organizer.DefaultRequestHeaders.Authorization = organizerKey;
        var view = await DoneAsync(organizer, audienceId, DateTime.UtcNow.AddSeconds(60));
        var run = view["runs"]![0]!;
        output.WriteLine($"members at TikTok when the node was killed: {beforeKill:N0}; after restart: {after.Count:N0}; the node's count {(long)view["members"]!:N0}, its run {(string)run["status"]!} with {(int)run["uploaded"]!:N0} uploaded");

        Assert.InRange(beforeKill, 10_000, 99_999);
        Assert.True(expected.SetEquals(after), $"TikTok holds {after.Count} members, {after.Except(expected).Count()} unexpected, {expected.Except(after).Count()} missing");
        Assert.Equal("done", (string)run["status"]!);
        Assert.Equal(100_000, (int)run["uploaded"]!);
        Assert.Equal(100_000, (long)view["members"]!);
    }

    /// <summary>The audience once its run is done (or as it stands at the deadline).</summary>
    private static async Task<JsonObject> DoneAsync(HttpClient organizer, string audienceId, DateTime deadline)
    {
        while (true)
        {
            var view = (await organizer.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}"))!;
            if ((string?)view["runs"]?[0]?["status"] == "done" || DateTime.UtcNow > deadline)
            {
                return view;
            }
            await Task.Delay(200);
        }
    }

    private static HashSet<string> Members(SandboxHost sandbox, string tiktokId)
    {
        lock (sandbox.State.Audiences.Sync)
        {
            return [.. sandbox.State.Audiences.Find(tiktokId)!.Members];
        }
    }
}
