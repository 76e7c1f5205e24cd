using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

public sealed partial class SandboxSwitchTests
{
    private static readonly string NodeAssembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Node.dll");

    [Fact]
    public async Task The_sandbox_switch_hosts_the_sandbox_in_process_and_points_the_tiktok_client_at_it()
    {
        await using var node = NodeProcess.Start(NodeAssembly, new Dictionary<string, string>(), arguments: ["--sandbox"]);
        await node.WaitReadyAsync();
        for (var i = 0; i < 50 && !node.Output.Contains("SANDBOX MODE", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var baseUrl = SandboxUrl().Match(node.Output).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(baseUrl), "event/track/"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["event_source"] = "web",
                ["event_source_id"] = "SANDBOXPIXEL0001",
                ["data"] = new JsonArray(new JsonObject { ["event"] = "ViewContent", ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }),
            }),
        };
        request.Headers.Add("Access-Token", "sandbox-access-token");
        using var response = await node.Http.SendAsync(request);
        // The sandbox signs its lead webhooks with its app's secret, which --sandbox configures: nothing degraded.
        var ready = await node.Http.GetStringAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal($"http://127.0.0.1:{node.Port}/tiktok-sandbox/open_api/v1.3/", baseUrl);
        Assert.Equal("Healthy", ready);
        Assert.Equal(0, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
    }

    [GeneratedRegex(@"every TikTok call goes to (\S+?)\. Nothing")]
    private static partial Regex SandboxUrl();
}
