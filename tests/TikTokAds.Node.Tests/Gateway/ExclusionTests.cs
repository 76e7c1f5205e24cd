using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Exclusion lists from the public API to the sandbox's ad groups, through a node on a real PostgreSQL.</summary>
public sealed class ExclusionTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private async Task<(HttpClient Client, string Advertiser, string Token, string AudienceId, string TikTokId)> AudienceAsync(string name)
    {
        var (key, _, token) = await factory.PixelAsync(name);
        var client = factory.As(key);
        var advertiser = (string)(await client.GetFromJsonAsync<JsonObject>($"{Api}/connection"))!["advertiser_id"]!;
        using var created = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = advertiser, ["custom_audience_name"] = name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        return (client, advertiser, token, (string)body["id"]!, (string)body["tiktok_audience_id"]!);
    }

    private static async Task<List<string>> AdGroupIdsAsync(HttpClient client, string advertiser)
    {
        var groups = (await client.GetFromJsonAsync<JsonObject>($"{Api}/ad-groups?advertiser_id={advertiser}"))!;
        return [.. groups["ad_groups"]!.AsArray().Select(g => (string)g!["adgroup_id"]!)];
    }

    private static Task<HttpResponseMessage> ApplyAsync(HttpClient client, string audienceId, IEnumerable<string> adGroups, string? usage = null)
        => client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/exclusions", new JsonObject { ["adgroup_ids"] = new JsonArray([.. adGroups.Select(g => (JsonNode)g)]), ["usage_mode"] = usage });

    private static Task<HttpResponseMessage> DisconnectAsync(HttpClient client, string audienceId, IEnumerable<string> adGroups)
        => client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Api}/audiences/{audienceId}/exclusions")
        {
            Content = JsonContent.Create(new JsonObject { ["adgroup_ids"] = new JsonArray([.. adGroups.Select(g => (JsonNode)g)]) }),
        });

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private HashSet<string> ExcludedAtSandbox(string tiktokId, IEnumerable<string> adGroups)
        => [.. adGroups.Where(g => factory.Sandbox.State.AdGroups.Applied(g).Any(a => a.AudienceId == tiktokId && a.UsageMode == "EXCLUDE"))];

    [Fact]
    public async Task An_exclusion_applied_to_two_ad_groups_shows_at_the_sandbox_and_in_the_api_and_disconnecting_removes_it()
    {
        var (client, advertiser, _, audienceId, tiktokId) = await AudienceAsync("Ticket holders");
        var groups = await AdGroupIdsAsync(client, advertiser);

        using var applied = await ApplyAsync(client, audienceId, groups[..2]);
        var shown = (await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}/exclusions"))!;
        var atSandbox = ExcludedAtSandbox(tiktokId, groups);
        JsonObject onDashboard;
        using (var admin = factory.Admin())
        {
            onDashboard = (await admin.GetFromJsonAsync<JsonObject>("/dashboard/api/audiences"))!["audiences"]!.AsArray().Single(r => (string?)r!["audience"]!["id"] == audienceId)!.AsObject();
        }
        using var disconnected = await DisconnectAsync(client, audienceId, groups[..2]);
        var after = (await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}/exclusions"))!;

        Assert.Equal(3, groups.Count);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal(groups[..2].ToHashSet(), atSandbox);
        Assert.Equal(groups[..2], shown["ad_groups"]!.AsArray().Select(g => (string)g!["adgroup_id"]!).Order(StringComparer.Ordinal));
        Assert.All(shown["ad_groups"]!.AsArray(), g => Assert.Equal("EXCLUDE", (string?)g!["usage_mode"]));
        Assert.Equal(tiktokId, (string?)shown["tiktok_audience_id"]);
        Assert.Equal(groups[..2], onDashboard["ad_groups"]!.AsArray().Select(g => (string)g!["adgroup_id"]!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, disconnected.StatusCode);
        Assert.Empty(ExcludedAtSandbox(tiktokId, groups));
        Assert.Empty(after["ad_groups"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_an_audience_while_its_exclusions_change_answers_both_without_a_deadlock()
    {
        var (client, advertiser, token, audienceId, _) = await AudienceAsync("Delete race");
        var groups = await AdGroupIdsAsync(client, advertiser);
        using (var applied = await ApplyAsync(client, audienceId, groups[..1]))
        {
            Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        }
        // TikTok takes its time deleting, so the exclusion change arrives while the audience grain is inside its delete.
        factory.Sandbox.AddFault(new TikTokAds.Sandbox.FaultRule { Path = "segment/audience", AccessToken = token, LatencyMs = 1500, Count = 1 });

        var deleting = client.DeleteAsync($"{Api}/audiences/{audienceId}");
        await Task.Delay(300);
        using var disconnected = await DisconnectAsync(client, audienceId, groups[..1]);
        using var deleted = await deleting;

        Assert.True((int)deleted.StatusCode < 500, $"DELETE audience: {deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
        Assert.True((int)disconnected.StatusCode < 500, $"DELETE exclusions: {disconnected.StatusCode} {await disconnected.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_audience_deleted_while_applied_is_gone_from_its_exclusions_too()
    {
        var (client, advertiser, _, audienceId, _) = await AudienceAsync("Deleted holders");
        var groups = await AdGroupIdsAsync(client, advertiser);
        using var applied = await ApplyAsync(client, audienceId, groups[..1]);

        using var deleted = await client.DeleteAsync($"{Api}/audiences/{audienceId}");
        using var shown = await client.GetAsync($"{Api}/audiences/{audienceId}/exclusions");

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
    }

    [Fact]
    public async Task Ad_groups_list_with_their_reach_and_frequency_flag_and_an_advertiser_without_access_is_refused()
    {
        var (client, advertiser, _, _, _) = await AudienceAsync("Listing");

        var groups = (await client.GetFromJsonAsync<JsonObject>($"{Api}/ad-groups?advertiser_id={advertiser}"))!["ad_groups"]!.AsArray();
        using var foreign = await client.GetAsync($"{Api}/ad-groups?advertiser_id=7999999999000000");
        using var missing = await client.GetAsync($"{Api}/ad-groups");

        Assert.Single(groups, g => (bool)g!["reach_and_frequency"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        Assert.Equal("no_connection_for_advertiser", (string?)(await ProblemAsync(foreign))["code"]);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task TikTok_refusals_are_422_with_its_code_and_change_nothing()
    {
        var (client, advertiser, _, audienceId, tiktokId) = await AudienceAsync("Refusals");
        var ours = await AdGroupIdsAsync(client, advertiser);
        var theirs = factory.Sandbox.State.AdGroups.ForAdvertiser("7888888888000000")[0].AdGroupId;

        using var unknown = await ApplyAsync(client, audienceId, [ours[0], "1799999999999999999"]);
        using var foreign = await ApplyAsync(client, audienceId, [ours[0], theirs]);
        var shown = (await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}/exclusions"))!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(40007, (int)(await ProblemAsync(unknown))["tiktok_code"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        var problem = await ProblemAsync(foreign);
        Assert.Equal("tiktok_refused", (string?)problem["code"]);
        Assert.Equal(40002, (int)problem["tiktok_code"]!);
        Assert.Empty(ExcludedAtSandbox(tiktokId, [.. ours, theirs]));
        Assert.Empty(shown["ad_groups"]!.AsArray());
    }

    [Fact]
    public async Task Bad_requests_are_400_an_unknown_audience_is_404_and_an_outage_is_503_with_retry_after()
    {
        var (client, advertiser, token, audienceId, _) = await AudienceAsync("Bad input");
        var groups = await AdGroupIdsAsync(client, advertiser);

        using var empty = await ApplyAsync(client, audienceId, []);
        using var notDigits = await ApplyAsync(client, audienceId, ["ad-group-one"]);
        using var badUsage = await ApplyAsync(client, audienceId, groups[..1], "SOMETIMES");
        using var noBody = await client.DeleteAsync($"{Api}/audiences/{audienceId}/exclusions");
        using var unknown = await ApplyAsync(client, "aud_0000000000000000", groups[..1]);
        factory.Sandbox.AddFault(new FaultRule { Path = "dmp/custom_audience/apply/", AccessToken = token, Code = 50002 });
        using var outage = await ApplyAsync(client, audienceId, groups[..1]);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notDigits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badUsage.StatusCode);
        Assert.Contains("usage_mode", await badUsage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.NotNull(outage.Headers.RetryAfter);
    }
}
