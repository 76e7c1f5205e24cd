using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.TikTok.Tests.Sandbox;

/// <summary>The sandbox's echo receiver: a call-back URL a demo can send leads to, and a list of what arrived.</summary>
public sealed class EchoReceiverTests
{
    [Fact]
    public async Task A_post_to_the_echo_receiver_is_answered_200_and_listed_with_its_headers_and_json_body()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, "sandbox/echo/leads") { Content = new StringContent("""{"lead_id":"7301","text":"Call Ana"}""", Encoding.UTF8, "application/json") };
        post.Headers.Add("Idempotency-Key", "7301");

        using var received = await sandbox.Admin.SendAsync(post);
        using var plain = await sandbox.Admin.PostAsync("sandbox/echo/other", new StringContent("not json"));
        var all = (await sandbox.Admin.GetFromJsonAsync<JsonObject>("sandbox/echo"))!["requests"]!.AsArray();
        var leads = (await sandbox.Admin.GetFromJsonAsync<JsonObject>("sandbox/echo/leads"))!["requests"]!.AsArray();

        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(["leads", "other"], all.Select(r => (string)r!["path"]!));
        var lead = Assert.Single(leads)!;
        Assert.Equal("7301", (string)lead["headers"]!["idempotency-key"]!);
        Assert.Equal("Call Ana", (string)lead["body"]!["text"]!);
        Assert.Equal("not json", (string)all[1]!["body"]!);
    }

    [Fact]
    public async Task A_reset_empties_the_echo_receiver()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        using var _ = await sandbox.Admin.PostAsync("sandbox/echo/leads", new StringContent("{}"));

        using var reset = await sandbox.Admin.PostAsync("sandbox/reset", null);
        var after = (await sandbox.Admin.GetFromJsonAsync<JsonObject>("sandbox/echo"))!["requests"]!.AsArray();

        Assert.Empty(after);
    }
}
