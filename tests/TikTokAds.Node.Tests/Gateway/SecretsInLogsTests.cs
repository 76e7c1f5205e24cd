using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class SecretsInLogsTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task No_log_line_holds_an_access_token_or_an_api_key()
    {
        var (organizerId, key) = await factory.CreateOrganizerAsync("Logged");
        var good = await factory.ConnectAsync(key, "PIXELLOG");
        using var client = factory.As(key);
        await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject { ["pixel_id"] = "PIXELLOG2", ["access_token"] = "rejected-secret-token-xyz", ["advertiser_id"] = "7000000000000000123" });
        factory.Sandbox.State.Grants.Revoke(good.Token);
        await client.PostAsync($"/api/integrations/tiktok-ads/connection/{good.Pixel}/verify", null);
        using var admin = factory.Admin();
        using var issued = await admin.PostAsync($"/api/admin/organizers/{organizerId}/keys", null);
        var second = (string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["api_key"]!;
        await factory.As(second).GetAsync("/api/integrations/tiktok-ads/connection");

        var logs = factory.Logs.All;

        Assert.True(factory.Logs.Lines.Count > 20, "too few log lines were captured to prove anything");
        Assert.Contains("TikTok rejected the token", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { key, second, good.Token, "rejected-secret-token-xyz", GatewayFactory.AdminKey, factory.Settings["Security:TokenKeys:k1"] })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
