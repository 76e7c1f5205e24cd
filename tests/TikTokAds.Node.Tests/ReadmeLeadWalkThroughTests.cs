using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>The README's lead walk-through, request for request, on a node started as the README says (--sandbox).</summary>
public sealed class ReadmeLeadWalkThroughTests
{
    private const string Api = "/api/integrations/tiktok-ads";
    private const string OperatorKey = "change-me-operator-key";
    private static readonly string NodeAssembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Node.dll");

    [Fact]
    public async Task A_lead_filled_in_the_sandbox_arrives_at_the_sandbox_echo_receiver()
    {
        await using var node = NodeProcess.Start(NodeAssembly, new Dictionary<string, string> { ["Admin:ApiKey"] = OperatorKey }, arguments: ["--sandbox"]);
        await node.WaitReadyAsync();
        var organizer = await PostAsync(node.Http, "/api/admin/organizers", OperatorKey, """{"name":"Acme Events"}""");
        var key = (string)organizer["api_key"]!;
        var start = (await Send(node.Http, HttpMethod.Get, $"{Api}/oauth/start", key, null))!;
        using var browser = new HttpClient();
        var connected = (await browser.GetFromJsonAsync<JsonObject>((string)start["authorize_url"]!))!;

        var echoUrl = $"http://127.0.0.1:{node.Port}/tiktok-sandbox/sandbox/echo/leads";
        await Send(node.Http, HttpMethod.Put, $"{Api}/leads/callback", key, $$"""{"callback_url":"{{echoUrl}}","signing_secret":"a-long-shared-secret"}""");
        await Send(node.Http, HttpMethod.Put, $"{Api}/leads/ads/1800000000000000001", key,
            """{"advertiser_id":"7100000000000000001","form_name":"Festival pass","utm":{"utm_source":"tiktok","utm_campaign":"spring"},"text_template":"Call {name} about {form_name}"}""");
        await Send(node.Http, HttpMethod.Post, $"{Api}/leads/subscriptions", key, """{"advertiser_id":"7100000000000000001"}""");
        await PostAsync(node.Http, "/tiktok-sandbox/sandbox/leads", null,
            """{"advertiser_id":"7100000000000000001","page_id":"7300000000000009001","ad_id":"1800000000000000001","fields":{"name":"Ana","phone_number":"+40721234567"},"deliveries":2}""");
        var echoed = await EchoedAsync(node.Http);

        Assert.Equal("connected", (string)connected["status"]!);
        var lead = Assert.Single(echoed)!;
        Assert.Equal("Call Ana about Festival pass", (string)lead["body"]!["text"]!);
        Assert.Equal("spring", (string)lead["body"]!["utm"]!["utm_campaign"]!);
        Assert.StartsWith("t=", (string)lead["headers"]!["x-tiktokads-signature"]!, StringComparison.Ordinal);
    }

    /// <summary>What the echo receiver got, once it got something (the lead is forwarded right after it is stored).</summary>
    private static async Task<JsonArray> EchoedAsync(HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            var requests = (await http.GetFromJsonAsync<JsonObject>("/tiktok-sandbox/sandbox/echo/leads"))!["requests"]!.AsArray();
            if (requests.Count > 0)
            {
                return requests;
            }
            await Task.Delay(100);
        }
        return [];
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, string? bearer, string json) => (await Send(http, HttpMethod.Post, path, bearer, json))!;

    private static async Task<JsonObject?> Send(HttpClient http, HttpMethod method, string path, string? bearer, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body) as JsonObject;
    }
}
