using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// The lead path through the sandbox, step by step: an organizer authorized over OAuth with a call-back
/// receiver, an ad configured, and leads the sandbox's LEAD webhook delivers to the node.
/// </summary>
internal sealed class LeadFlow(KestrelGatewayFactory factory)
{
    public const string ReceiverSecret = "receiver-signing-secret-0123";
    private const string Api = "/api/integrations/tiktok-ads";

    public async Task<(HttpClient Client, string Advertiser)> LeadOrganizerAsync(string name, string tiktokUser, CallbackReceiver receiver)
    {
        var (_, key) = await factory.CreateOrganizerAsync(name);
        var client = factory.As(key);
        var (_, advertisers) = await ConnectAsync(client, tiktokUser);
        using var callback = await client.PutAsJsonAsync($"{Api}/leads/callback", new JsonObject { ["callback_url"] = receiver.Url, ["signing_secret"] = ReceiverSecret });
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        return (client, advertisers[0]);
    }


    public async Task<(JsonObject Completed, IReadOnlyList<string> Advertisers)> ConnectAsync(HttpClient client, string tiktokUser)
    {
        var (callback, _) = await ConsentAsync(client, tiktokUser);
        using var completed = await client.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var body = (await completed.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body, [.. body["authorization"]!["advertiser_ids"]!.AsArray().Select(a => (string)a!)]);
    }


    /// <summary>The organizer's browser: opens authorize_url at the sandbox, and returns where TikTok redirects it.</summary>
    public async Task<(string Callback, System.Collections.Specialized.NameValueCollection Query)> ConsentAsync(HttpClient client, string tiktokUser)
    {
        var start = (await client.GetFromJsonAsync<JsonObject>($"{Api}/oauth/start"))!;
        var authorize = (string)start["authorize_url"]!;
        Assert.StartsWith(factory.Sandbox.BaseAddress + "portal/auth?app_id=sandbox-app&state=", authorize, StringComparison.Ordinal);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync($"{authorize}&sandbox_user={tiktokUser}");
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!;
        Assert.Equal(factory.ServerAddress.Authority, location.Authority);
        return (location.PathAndQuery, System.Web.HttpUtility.ParseQueryString(location.Query));
    }


    public static async Task ConfigureAdAsync(HttpClient client, string ad, string advertiser)
    {
        using var response = await client.PutAsJsonAsync($"{Api}/leads/ads/{ad}", new JsonObject
        {
            ["advertiser_id"] = advertiser,
            ["form_name"] = "Festival pass",
            ["utm"] = new JsonObject { ["utm_source"] = "tiktok", ["utm_medium"] = "lead_ad", ["utm_campaign"] = "spring-fest" },
            ["text_template"] = "Call {name} back about {form_name}",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }


    public static async Task SubscribeAsync(HttpClient client, string advertiser)
    {
        using var subscribed = await client.PostAsJsonAsync($"{Api}/leads/subscriptions", new JsonObject { ["advertiser_id"] = advertiser });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
    }


    public async Task<string> AddLeadAsync(string advertiser, string ad, int deliveries = 1)
    {
        using var response = await factory.Sandbox.Admin.PostAsJsonAsync("sandbox/leads", new JsonObject
        {
            ["advertiser_id"] = advertiser,
            ["page_id"] = "7300000000000009001",
            ["ad_id"] = ad,
            ["fields"] = new JsonObject { ["name"] = "Ana Pop", ["phone_number"] = "+40721234567" },
            ["deliveries"] = deliveries,
        });
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["lead_id"]!;
    }


    public static async Task<JsonObject?> LeadAsync(HttpClient client, string leadId)
    {
        using var response = await client.GetAsync($"{Api}/leads/{leadId}");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }


    public static async Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(100);
        }
    }
}
