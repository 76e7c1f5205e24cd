using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// One TikTok authorization serves events, audiences and leads: a pixel connected without a pasted token
/// delivers through it, and a rejection of its token shows on all three at once.
/// </summary>
public sealed class OAuthForEverythingTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private sealed record Setup(HttpClient Client, string OrganizerId, string Advertiser, string Pixel, string AudienceId);

    /// <summary>An organizer authorized over OAuth, a pixel connected with no token, an audience, and a lead ad, all on one advertiser.</summary>
    private async Task<Setup> AuthorizedAsync(string name)
    {
        var (organizerId, key) = await factory.CreateOrganizerAsync(name);
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
        return new Setup(client, organizerId, advertiser, pixel, (string)(await audience.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
    }

    private static async Task<HttpResponseMessage> SendEventAsync(Setup setup, int i)
    {
        var e = GatewayFactory.Event(i);
        e["pixel_id"] = setup.Pixel;
        return await setup.Client.PostAsJsonAsync($"{Api}/events", e);
    }

    private static Task<string?> PixelStatusAsync(Setup setup) => PixelStatusAsync(setup, setup.Pixel);

    private static async Task<string?> PixelStatusAsync(Setup setup, string pixel)
        => (string?)(await setup.Client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!["pixels"]!.AsArray().Single(p => (string?)p!["pixel_id"] == pixel)!["status"];

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
    public async Task An_advertiser_rejection_marks_what_holds_the_token_sent_so_a_rejected_grant_never_marks_a_pasted_connection_beside_it()
    {
        var setup = await AuthorizedAsync("OAuth pasted beside");
        // A second pixel of the same advertiser, connected with a token pasted from Events Manager.
        var pasted = $"PIXELP{setup.Advertiser[^8..]}";
        var pastedToken = factory.Sandbox.AddToken([setup.Advertiser], [pasted]);
        using (var connected = await setup.Client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = pasted, ["access_token"] = pastedToken, ["advertiser_id"] = setup.Advertiser }))
        {
            Assert.Equal(HttpStatusCode.Created, connected.StatusCode);
        }
        var organizer = factory.Services.GetRequiredService<IGrainFactory>().Organizer(setup.OrganizerId);
        var granted = (await organizer.GetAdvertiserAccessAsync(setup.Advertiser)).ProtectedToken!;

        // Two chunks of an audience sent with the grant's token, both refused: the grant and the pixel that follows it
        // are marked; the second report, about a grant already rejected, leaves the pasted connection alone.
        await organizer.ReportAdvertiserTokenRejectedAsync(setup.Advertiser, granted, 40105, "The access token is invalid or has been revoked.");
        await organizer.ReportAdvertiserTokenRejectedAsync(setup.Advertiser, granted, 40105, "The access token is invalid or has been revoked.");
        Assert.Equal("reauthorization_required", await PixelStatusAsync(setup));
        Assert.Equal("connected", await PixelStatusAsync(setup, pasted));

        // The pasted token's own rejection marks its pixel.
        await organizer.ReportAdvertiserTokenRejectedAsync(setup.Advertiser, (await organizer.GetPixelCredentialAsync(pasted))!.ProtectedToken, 40105, "The access token is invalid or has been revoked.");
        Assert.Equal("reauthorization_required", await PixelStatusAsync(setup, pasted));
    }

    [Fact]
    public async Task A_pixel_that_followed_a_deleted_authorization_is_still_marked_when_tiktok_rejects_its_token()
    {
        var setup = await AuthorizedAsync("OAuth deleted grant");
        var organizer = factory.Services.GetRequiredService<IGrainFactory>().Organizer(setup.OrganizerId);
        var token = (await organizer.GetPixelCredentialAsync(setup.Pixel))!.ProtectedToken;
        var authorization = (string)(await setup.Client.GetFromJsonAsync<JsonArray>($"{Api}/oauth/authorizations"))![0]!["id"]!;
        using (var deleted = await setup.Client.DeleteAsync($"{Api}/oauth/authorizations/{authorization}"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await organizer.ReportTokenRejectedAsync(setup.Pixel, token, 40105, "The access token is invalid or has been revoked.");

        Assert.Equal("reauthorization_required", await PixelStatusAsync(setup));
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
