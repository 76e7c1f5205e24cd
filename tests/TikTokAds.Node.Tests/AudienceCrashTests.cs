using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>A node killed in the middle of syncing 100,000 members loses none of them.</summary>
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
        int beforeKill;
        await using (var doomed = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await doomed.WaitReadyAsync();
            using var client = await NodeOrganizer.ConnectAsync(doomed, "Audience crash", "PIXELAUD", "7000000000000000700", token);
            using var created = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = "7000000000000000700", ["custom_audience_name"] = "Everyone" });
            var audience = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            tiktokId = (string)audience["tiktok_audience_id"]!;
            using var sync = await client.PostAsJsonAsync($"{Api}/audiences/{(string)audience["id"]!}/sync", new JsonObject
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
        output.WriteLine($"members at TikTok when the node was killed: {beforeKill:N0}; after restart: {after.Count:N0}");

        Assert.InRange(beforeKill, 10_000, 99_999);
        Assert.True(expected.SetEquals(after), $"TikTok holds {after.Count} members, {after.Except(expected).Count()} unexpected, {expected.Except(after).Count()} missing");
    }

    private static HashSet<string> Members(SandboxHost sandbox, string tiktokId)
    {
        lock (sandbox.State.Audiences.Sync)
        {
            return [.. sandbox.State.Audiences.Find(tiktokId)!.Members];
        }
    }
}
