using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>An organizer on a node process (started with Admin:ApiKey = GatewayFactory.AdminKey), with one connected pixel.</summary>
internal static class NodeOrganizer
{
    public static async Task<HttpClient> ConnectAsync(NodeProcess node, string name, string pixel, string advertiser, string token, JsonObject? connectExtras = null)
    {
        using var admin = new HttpClient { BaseAddress = node.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var created = (await (await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = name })).Content.ReadFromJsonAsync<JsonObject>())!;
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["api_key"]!);
        var body = new JsonObject { ["pixel_id"] = pixel, ["access_token"] = token, ["advertiser_id"] = advertiser };
        foreach (var (key, value) in connectExtras ?? [])
        {
            body[key] = value?.DeepClone();
        }
        using var connect = await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", body);
        connect.EnsureSuccessStatusCode();
        return client;
    }
}
