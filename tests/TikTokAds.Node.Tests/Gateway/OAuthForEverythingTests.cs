using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// One TikTok authorization serves events, audiences and leads: a pixel connected without a pasted token
/// delivers through it, and a rejection of its token shows on all three at once.
/// </summary>
public sealed class OAuthForEverythingTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private sealed record Setup(HttpClient Client, string Advertiser, string Pixel, string AudienceId);

    /// <summary>An organizer authorized over OAuth, a pixel connected with no token, an audience, and a lead ad, all on one advertiser.</summary>
    private async Task<Setup> AuthorizedAsync(string name)
    {
        var (_, key) = await factory.CreateOrganizerAsync(name);
        var client = factory.As(key);
        var (_, advertisers) = await new LeadFlow(factory).ConnectAsync(client, name.Replace(' ', '-'));
        var advertiser = advertisers[0];
        var pixel = $"PIXEL{advertiser[^8..]}";
        using var connected = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = pixel, ["advertiser_id"] = advertiser });
        Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        using var audience = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = advertiser, ["custom_audience_name"] = name });
        Assert.Equal(HttpStatusCode.Created, audience.StatusCode);
        using var callback = await client.PutAsJsonAsync($"{Api}/leads/callback", new JsonObject { ["callback_url"] = "https://receiver.example/leads" });
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        await LeadFlow.ConfigureAdAsync(client, "7500000000000000101", advertiser);
        return new Setup(client, advertiser, pixel, (string)(await audience.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
    }

    private static async Task<HttpResponseMessage> SendEventAsync(Setup setup, int i)
    {
        var e = GatewayFactory.Event(i);
        e["pixel_id"] = setup.Pixel;
        return await setup.Client.PostAsJsonAsync($"{Api}/events", e);
    }

    private static async Task<string?> PixelStatusAsync(Setup setup)
        => (string?)(await setup.Client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!["pixels"]!.AsArray().Single(p => (string?)p!["pixel_id"] == setup.Pixel)!["status"];

    private static async Task<(string? Audience, string? Leads, string? Authorization)> OthersAsync(Setup setup)
    {
        var audience = await setup.Client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{setup.AudienceId}");
        var leads = await setup.Client.GetFromJsonAsync<JsonObject>($"{Api}/leads/integration");
        var authorizations = await setup.Client.GetFromJsonAsync<JsonArray>($"{Api}/oauth/authorizations");
        return ((string?)audience!["status"], (string?)leads!["status"], (string?)authorizations![0]!["status"]);
    }

    [Fact]
    public async Task A_pixel_connected_without_a_token_delivers_events_through_the_organizers_authorization()
    {
        var setup = await AuthorizedAsync("OAuth events");

        using var accepted = await SendEventAsync(setup, 1);
        var delivered = await factory.WaitForSandboxAsync(setup.Pixel, 1);
        var token = factory.Sandbox.State.Grants.All.Single(g => g.AdvertiserIds.Contains(setup.Advertiser)).AccessToken;

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(1, delivered);
        Assert.All(factory.Sandbox.State.Events.Requests(setup.Pixel), r => Assert.Equal(0, r.Code));
        Assert.DoesNotContain(token, await setup.Client.GetStringAsync($"{Api}/connection"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_the_authorization_at_tiktok_turns_events_audiences_and_leads_to_reauthorization_required_after_one_call()
    {
        var setup = await AuthorizedAsync("OAuth revoked");
        var before = await OthersAsync(setup);
        var token = factory.Sandbox.State.Grants.All.Single(g => g.AdvertiserIds.Contains(setup.Advertiser)).AccessToken;

        using (await factory.Sandbox.Admin.DeleteAsync($"sandbox/tokens/{token}"))
        {
        }
        using var accepted = await SendEventAsync(setup, 2);
        string? pixel = null;
        for (var attempt = 0; attempt < 300 && pixel != "reauthorization_required"; attempt++)
        {
            await Task.Delay(100);
            pixel = await PixelStatusAsync(setup);
        }
        var after = await OthersAsync(setup);

        Assert.Equal(("ok", "active"), (before.Leads, before.Authorization));
        Assert.NotEqual("reauthorization_required", before.Audience);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("reauthorization_required", pixel);
        Assert.Equal(("reauthorization_required", "reauthorization_required", "reauthorization_required"), after);
    }

    [Fact]
    public async Task Authorizing_again_heals_a_pixel_that_follows_the_authorization()
    {
        var setup = await AuthorizedAsync("OAuth healed");
        var token = factory.Sandbox.State.Grants.All.Single(g => g.AdvertiserIds.Contains(setup.Advertiser)).AccessToken;
        factory.Sandbox.State.Grants.Revoke(token);
        using (await setup.Client.PostAsync($"{Api}/connection/{setup.Pixel}/verify", null))
        {
        }
        var broken = await PixelStatusAsync(setup);

        await new LeadFlow(factory).ConnectAsync(setup.Client, "OAuth-healed");
        using var accepted = await SendEventAsync(setup, 3);
        var delivered = await factory.WaitForSandboxAsync(setup.Pixel, 1);

        Assert.Equal("reauthorization_required", broken);
        Assert.Equal("connected", await PixelStatusAsync(setup));
        Assert.Equal(1, delivered);
        Assert.NotEqual("reauthorization_required", (await OthersAsync(setup)).Audience);
    }

    [Fact]
    public async Task Connecting_without_a_token_and_without_an_authorization_for_the_advertiser_is_refused()
    {
        var (_, key) = await factory.CreateOrganizerAsync("No authorization");
        using var client = factory.As(key);

        using var response = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = "PIXEL00000001", ["advertiser_id"] = "7100000000000000001" });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("no_authorization_for_advertiser", (string?)problem!["code"]);
    }
}
