using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts;
using TikTokAds.Grains.Security;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class ConnectionTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    [Fact]
    public async Task Connecting_checks_the_token_with_tiktok_and_stores_it_encrypted()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Encrypted");
        var (pixel, advertiser, token) = await factory.ConnectAsync(key, "PIXELENC1");
        using var client = factory.As(key);

        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;

        Assert.True((bool)connection["connected"]!);
        Assert.Equal(pixel, (string?)connection["pixel_id"]);
        Assert.Equal(advertiser, (string?)connection["advertiser_id"]);
        Assert.False((bool)connection["test_mode"]!);
        Assert.DoesNotContain(token, connection.ToJsonString(), StringComparison.Ordinal);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, token), "the plaintext token is in the database");
        Assert.True(await Storage.ContainsAsync(factory.Postgres, "v1.k1."), "no encrypted token is in the database");
        Assert.Contains(factory.Sandbox.State.Calls.Keys, path => path.EndsWith("advertiser/info/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_tiktok_rejects_gets_a_clear_4xx_and_nothing_is_saved()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Rejected");
        using var client = factory.As(key);

        using var response = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = "PIXELREJ", ["access_token"] = "made-up-token-123", ["advertiser_id"] = "7000000000000000999" });
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("tiktok_token_rejected", (string?)problem["code"]);
        Assert.Equal(40105, (int)problem["tiktok_code"]!);
        Assert.Contains("Nothing was saved", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.False((bool)connection["connected"]!);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, "PIXELREJ"));
    }

    [Fact]
    public async Task A_token_for_another_advertiser_is_refused()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Wrong advertiser");
        var token = factory.Sandbox.AddToken(["7000000000000000111"], ["PIXELADV"]);
        using var client = factory.As(key);

        using var response = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = "PIXELADV", ["access_token"] = token, ["advertiser_id"] = "7000000000000000222" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("tiktok_advertiser_not_permitted", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
    }

    [Fact]
    public async Task A_pixel_the_token_does_not_own_is_refused()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Foreign pixel");
        var token = factory.Sandbox.AddToken(["7000000000000000333"], ["PIXELOWNED"]);
        using var client = factory.As(key);

        using var response = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = "SOMEONE_ELSES", ["access_token"] = token, ["advertiser_id"] = "7000000000000000333" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("tiktok_pixel_not_permitted", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
    }

    [Fact]
    public async Task Connecting_again_updates_and_several_pixels_are_listed()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Multi pixel");
        var first = await factory.ConnectAsync(key, "PIXELMULTI1");
        await factory.ConnectAsync(key, "PIXELMULTI2");
        using var client = factory.As(key);

        using var update = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject
        {
            ["pixel_id"] = first.Pixel, ["access_token"] = first.Token, ["advertiser_id"] = first.Advertiser,
            ["test_mode"] = true, ["test_event_code"] = "TEST42", ["default_country_code"] = "+40", ["allow_custom_events"] = false,
        });
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;
        var updated = connection["pixels"]!.AsArray().Single(p => (string?)p!["pixel_id"] == first.Pixel)!;

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(2, connection["pixels"]!.AsArray().Count);
        Assert.True((bool)updated["test_mode"]!);
        Assert.Equal("TEST42", (string?)updated["test_event_code"]);
        Assert.Equal("40", (string?)updated["default_country_code"]);
        Assert.False((bool)updated["allow_custom_events"]!);
    }

    [Fact]
    public async Task A_token_tiktok_stops_accepting_shows_as_reauthorization_required()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Revoked at TikTok");
        var (pixel, _, token) = await factory.ConnectAsync(key, "PIXELREAUTH");
        using var client = factory.As(key);
        factory.Sandbox.State.Grants.Revoke(token);

        using var verify = await client.PostAsync($"{Api}/connection/{pixel}/verify", null);
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal("reauthorization_required", (string?)connection["status"]);
        Assert.Contains("40105", (string?)connection["pixels"]![0]!["last_error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejection_of_the_token_a_reconnect_replaced_leaves_the_new_connection_working_and_one_of_the_token_in_use_still_counts()
    {
        var (organizerId, key) = await factory.CreateOrganizerAsync("Stale rejection");
        var (pixel, advertiser, _) = await factory.ConnectAsync(key, "PIXELSTALE");
        using var client = factory.As(key);
        var organizer = factory.Services.GetRequiredService<IGrainFactory>().Organizer(organizerId);
        var old = (await organizer.GetPixelCredentialAsync(pixel))!.ProtectedToken;
        var fresh = factory.Sandbox.AddToken([advertiser], [pixel]);
        using (var reconnect = await client.PostAsJsonAsync($"{Api}/connect", new JsonObject { ["pixel_id"] = pixel, ["access_token"] = fresh, ["advertiser_id"] = advertiser }))
        {
            reconnect.EnsureSuccessStatusCode();
        }
        var current = (await organizer.GetPixelCredentialAsync(pixel))!.ProtectedToken;
        Assert.NotEqual(old, current);

        // A flush with the old token that ended after the reconnect, and an audience's call out at the time, report it.
        await organizer.ReportTokenRejectedAsync(pixel, old, 40105, "The access token is invalid or has been revoked.");
        await organizer.ReportAdvertiserTokenRejectedAsync(advertiser, old, 40105, "The access token is invalid or has been revoked.");
        Assert.Equal("connected", (string?)(await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!["status"]);
        Assert.Equal(2, factory.Logs.Lines.Count(line => line.Contains("[3016]", StringComparison.Ordinal) && line.Contains(organizerId, StringComparison.Ordinal)));

        // The token in use still counts when the report names it encrypted anew, as after a rotation while the call was out.
        var protector = factory.Services.GetRequiredService<TokenProtector>();
        await organizer.ReportAdvertiserTokenRejectedAsync(advertiser, protector.Protect(protector.Unprotect(current, organizerId), organizerId), 40105, "The access token is invalid or has been revoked.");
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;
        Assert.Equal("reauthorization_required", (string?)connection["status"]);
        Assert.Contains("40105", (string?)connection["pixels"]![0]!["last_error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disconnecting_removes_the_pixel_and_a_second_disconnect_is_404()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Disconnect");
        var (pixel, _, _) = await factory.ConnectAsync(key, "PIXELGONE");
        using var client = factory.As(key);

        using var first = await client.DeleteAsync($"{Api}/connection/{pixel}");
        using var second = await client.DeleteAsync($"{Api}/connection/{pixel}");
        var connection = (await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((bool)(await first.Content.ReadFromJsonAsync<JsonObject>())!["disconnected"]!);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.False((bool)connection["connected"]!);
    }

    public static TheoryData<string, string> BadConnects => new()
    {
        { "empty object", "{}" },
        { "pixel id with spaces", """{"pixel_id":"A B","access_token":"t","advertiser_id":"1"}""" },
        { "pixel id too long", $$"""{"pixel_id":"{{new string('P', 65)}}","access_token":"t","advertiser_id":"1"}""" },
        { "advertiser id not digits", """{"pixel_id":"P","access_token":"t","advertiser_id":"adv-1"}""" },
        { "token with spaces", """{"pixel_id":"P","access_token":"a b","advertiser_id":"1"}""" },
        { "token too long", $$"""{"pixel_id":"P","access_token":"{{new string('t', 513)}}","advertiser_id":"1"}""" },
        { "test mode without a code", """{"pixel_id":"P","access_token":"t","advertiser_id":"1","test_mode":true}""" },
        { "bad calling code", """{"pixel_id":"P","access_token":"t","advertiser_id":"1","default_country_code":"RO"}""" },
        { "pixel id a number", """{"pixel_id":5,"access_token":"t","advertiser_id":"1"}""" },
        { "test_mode a string", """{"pixel_id":"P","access_token":"t","advertiser_id":"1","test_mode":"yes"}""" },
        { "invalid JSON", """{"pixel_id":""" },
        { "an array", "[]" },
    };

    [Theory]
    [MemberData(nameof(BadConnects))]
    public async Task A_malformed_connect_is_a_400_problem_and_tiktok_is_not_called(string rule, string json)
    {
        var (_, key) = await factory.CreateOrganizerAsync($"Bad connect {rule}");
        using var client = factory.As(key);

        using var response = await client.PostAsync($"{Api}/connect", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{rule}: {response.StatusCode}");
        Assert.Equal("invalid_request", (string?)problem["code"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }
}
